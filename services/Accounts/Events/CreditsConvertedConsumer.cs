using CreditBank.Accounts.Data;
using CreditBank.Accounts.Domain;
using CreditBank.Contracts.Events;
using CreditBank.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Accounts.Events;

/// <summary>
/// Posts a decided conversion (学分转换): one CONVERSION entry per outcome of each accepted item, saying which outcome
/// went to which course of which programme under which rule version. Conversion entries record where banked credits
/// were applied; they do not lower the balance (the credits stay banked), and they are shown as converted credits.
/// </summary>
public sealed partial class CreditsConvertedConsumer(AccountsDb db, IAccountSummaryCache cache, TimeProvider time,
    ILogger<CreditsConvertedConsumer> logger) : IConsumer<CreditsConverted>
{
    public async Task Consume(ConsumeContext<CreditsConverted> context)
    {
        var converted = context.Message;
        Account? account = null;
        await db.ProcessOnceAsync(context, nameof(CreditsConvertedConsumer), async ct =>
        {
            account = await db.Accounts.FirstOrDefaultAsync(a => a.DocumentHash == converted.LearnerDocumentHash, ct)
                ?? throw new InvalidOperationException($"Conversion {converted.ApplicationId} names a learner with no account; its outcomes were never banked here.");
            var outcomeIds = converted.Items.SelectMany(i => i.OutcomeIds).Distinct().ToList();
            var kinds = await db.LedgerEntries.Where(l => l.AccountId == account.Id && outcomeIds.Contains(l.OutcomeId) && l.Kind == LedgerEntryKind.Deposit)
                .ToDictionaryAsync(l => l.OutcomeId, l => l.OutcomeKind, ct);
            var now = time.GetUtcNow();
            foreach (var item in converted.Items)
            {
                var share = decimal.Round(item.Credits / item.OutcomeIds.Count, 2);
                foreach (var outcomeId in item.OutcomeIds)
                {
                    var entry = account.Append(LedgerEntryKind.Conversion, share, outcomeId, kinds.GetValueOrDefault(outcomeId, OutcomeKind.Course),
                        $"转换 · {converted.ProgrammeCode} {string.Join("/", item.CourseCodes)} 免修免考 · {item.RuleId} v{item.RuleVersion}",
                        converted.Actor, converted.EventId, now);
                    db.LedgerEntries.Add(entry);
                    db.Enqueue(LedgerEvents.Posted(entry, converted.Actor, now));
                }
            }
        });

        if (account is not null)
        {
            await cache.InvalidateAsync(account.Id);
            LogPosted(converted.ApplicationId, account.Id, converted.Items.Count);
        }
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Conversion {ApplicationId} posted to account {AccountId}: {Items} items")]
    private partial void LogPosted(Guid applicationId, Guid accountId, int items);
}
