using CreditBank.Accounts.Data;
using CreditBank.Accounts.Domain;
using CreditBank.Contracts.Events;
using CreditBank.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Accounts.Events;

/// <summary>
/// Banks a whole chunk of a batch in one transaction: one query for the accounts, one for deposits already made, then
/// every new account, deposit and LedgerEntryPosted in a single commit.
/// </summary>
public sealed partial class OutcomesRecognisedConsumer(AccountsDb db, IAccountSummaryCache cache, TimeProvider time,
    ILogger<OutcomesRecognisedConsumer> logger) : IConsumer<OutcomesRecognised>
{
    public async Task Consume(ConsumeContext<OutcomesRecognised> context)
    {
        var batch = context.Message;
        var touched = new HashSet<Guid>();
        var deposited = 0;
        var processed = await db.ProcessOnceAsync(context, nameof(OutcomesRecognisedConsumer), async ct =>
        {
            var now = time.GetUtcNow();
            var hashes = batch.Outcomes.Select(o => o.Learner.DocumentHash).Distinct().ToList();
            var accounts = await db.Accounts.Where(a => hashes.Contains(a.DocumentHash)).ToDictionaryAsync(a => a.DocumentHash, ct);
            var outcomeIds = batch.Outcomes.Select(o => o.OutcomeId).ToList();
            // Defence in depth behind the inbox: an outcome already deposited (e.g. also sent alone) is not deposited twice.
            var already = (await db.LedgerEntries.Where(l => outcomeIds.Contains(l.OutcomeId) && l.Kind == LedgerEntryKind.Deposit)
                .Select(l => l.OutcomeId).ToListAsync(ct)).ToHashSet();
            foreach (var outcome in batch.Outcomes)
            {
                if (!already.Add(outcome.OutcomeId))
                {
                    continue;
                }

                if (!accounts.TryGetValue(outcome.Learner.DocumentHash, out var account))
                {
                    account = OutcomeRecognisedConsumer.Open(db, outcome.Learner, batch.Actor, now);
                    accounts[outcome.Learner.DocumentHash] = account;
                }

                var deposit = account.Append(LedgerEntryKind.Deposit, outcome.Credits, outcome.OutcomeId, OutcomeKinds.Parse(outcome.OutcomeKind),
                    $"存入 · {outcome.Title} · {outcome.InstitutionCode}", batch.Actor, batch.EventId, now);
                db.LedgerEntries.Add(deposit);
                db.Enqueue(LedgerEvents.Posted(deposit, batch.Actor, now));
                touched.Add(account.Id);
                deposited++;
            }
        });

        if (processed)
        {
            foreach (var accountId in touched)
            {
                await cache.InvalidateAsync(accountId);
            }

            LogDeposited(deposited, touched.Count, batch.BatchId);
        }
    }

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Deposited {Count} outcomes into {Accounts} accounts from batch {BatchId}")]
    private partial void LogDeposited(int count, int accounts, Guid batchId);
}
