using CreditBank.Accounts.Data;
using CreditBank.Accounts.Domain;
using CreditBank.Contracts.Events;
using CreditBank.Contracts.Learning;
using CreditBank.Messaging;
using MassTransit;

namespace CreditBank.Accounts.Events;

/// <summary>
/// Posts a decided conversion (学分转换): one CONVERSION entry per outcome of each accepted item, saying which outcome
/// went to which course of which programme under which rule version. Conversion entries record where banked credits
/// were applied; they do not lower the balance (the credits stay banked), and they are shown as converted credits.
/// </summary>
/// <remarks>
/// Any arrival order converges: the event names each outcome's kind and the learner's document, so it is posted when it
/// arrives, before or after the deposits of the outcomes it converts — it opens the learner's account by document hash
/// if it is the first fact about them (the first deposit fills in the rest). Once per conversion (the inbox).
/// </remarks>
public sealed partial class CreditsConvertedConsumer(AccountsDb db, IAccountSummaryCache cache, TimeProvider time,
    ILogger<CreditsConvertedConsumer> logger) : IConsumer<CreditsConverted>
{
    public async Task Consume(ConsumeContext<CreditsConverted> context)
    {
        var converted = context.Message;
        Account? account = null;
        await db.ProcessOnceAsync(context, nameof(CreditsConvertedConsumer), async ct =>
        {
            var now = time.GetUtcNow();
            (account, var opened) = await LearnerAccounts.FindOrOpenByHashAsync(db, converted.LearnerDocumentType, converted.LearnerDocumentHash,
                converted.Actor, now, ct);
            var entries = new List<LedgerEntry>();
            foreach (var item in converted.Items)
            {
                var share = decimal.Round(item.Credits / item.Outcomes.Count, 2);
                foreach (var outcome in item.Outcomes)
                {
                    entries.Add(account.Append(LedgerEntryKind.Conversion, share, outcome.OutcomeId, OutcomeKinds.Parse(outcome.OutcomeKind),
                        $"转换 · {converted.ProgrammeCode} {string.Join("/", item.CourseCodes)} 免修免考 · {item.RuleId} v{item.RuleVersion}",
                        converted.Actor, converted.EventId, now));
                }
            }

            LedgerEvents.Record(db, account, opened, entries, converted.Actor, now);
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
