using CreditBank.Accounts.Data;
using CreditBank.Accounts.Domain;
using CreditBank.Contracts.Events;
using CreditBank.Messaging;
using CreditBank.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Accounts.Events;

/// <summary>
/// Banks a whole chunk of a batch in one transaction: one query for the accounts, one for deposits already made, then
/// every new account and deposit in bulk (COPY on PostgreSQL), and one LedgerEntriesPosted for the chunk.
/// </summary>
/// <remarks>
/// An existing account's <see cref="Account.Version"/> bump stays a tracked update: it is the concurrency token that
/// serialises appends to one account. Two chunks appending to the same account at once collide first on the ledger's
/// unique (account, sequence) — or on a new account's document hash — and the loser is retried by MassTransit from a
/// clean slate, so no deposit is lost or made twice.
/// </remarks>
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
            var opened = new List<Account>();
            var deposits = new List<LedgerEntry>();
            foreach (var outcome in batch.Outcomes)
            {
                if (!already.Add(outcome.OutcomeId))
                {
                    continue;
                }

                if (!accounts.TryGetValue(outcome.Learner.DocumentHash, out var account))
                {
                    (account, var announcement) = OutcomeRecognisedConsumer.Open(outcome.Learner, batch.Actor, now);
                    db.Enqueue(announcement);
                    accounts[outcome.Learner.DocumentHash] = account;
                    opened.Add(account);
                }

                deposits.Add(account.Append(LedgerEntryKind.Deposit, outcome.Credits, outcome.OutcomeId, OutcomeKinds.Parse(outcome.OutcomeKind),
                    $"存入 · {outcome.Title} · {outcome.InstitutionCode}", batch.Actor, batch.EventId, now));
                touched.Add(account.Id);
            }

            // Accounts before their entries (foreign key). Both in key order, so that two chunks wanting the same keys
            // queue behind each other instead of deadlocking.
            await db.InsertAllAsync(opened.OrderBy(a => a.DocumentHash, StringComparer.Ordinal).ToList(), ct);
            await db.InsertAllAsync(deposits.OrderBy(d => d.AccountId).ThenBy(d => d.Sequence).ToList(), ct);
            if (deposits.Count > 0)
            {
                db.Enqueue(LedgerEvents.PostedAll(deposits, batch.Actor, now));
            }

            deposited = deposits.Count;
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
