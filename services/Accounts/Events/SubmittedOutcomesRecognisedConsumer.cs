using CreditBank.Accounts.Data;
using CreditBank.Contracts.Events;
using CreditBank.Messaging;
using MassTransit;

namespace CreditBank.Accounts.Events;

/// <summary>
/// Banks the outcomes that recognition wrote together from single submissions (<see cref="SubmittedOutcomesRecognised"/>):
/// the events that arrive together in one transaction (<see cref="EventBatchConsumerDefinition{TConsumer}"/>), their
/// deposits announced with one <see cref="LedgerEntriesPosted"/> per actor.
/// </summary>
public sealed partial class SubmittedOutcomesRecognisedConsumer(AccountsDb db, IAccountSummaryCache cache, TimeProvider time,
    ILogger<SubmittedOutcomesRecognisedConsumer> logger) : IConsumer<Batch<SubmittedOutcomesRecognised>>
{
    public async Task Consume(ConsumeContext<Batch<SubmittedOutcomesRecognised>> context)
    {
        Banked? banked = null;
        var handled = await db.ProcessOnceAsync(context, nameof(SubmittedOutcomesRecognisedConsumer), async (events, ct) =>
        {
            var now = time.GetUtcNow();
            var orders = events.Select(e => e.Message)
                .SelectMany(m => m.Outcomes.Select(o => new DepositOrder(o.OutcomeId, o.Learner, o.Credits, o.OutcomeKind, o.Title, o.InstitutionCode, m.Actor, m.EventId)))
                .ToList();
            banked = await Deposits.BankAsync(db, orders, now, ct);
            foreach (var byActor in banked.Deposits.GroupBy(d => d.Actor, StringComparer.Ordinal))
            {
                db.Enqueue(LedgerEvents.PostedAll(byActor, byActor.Key, now));
            }
        });

        // Not when a concurrent delivery won: what the handler built was rolled back.
        if (handled.Count > 0 && banked is not null)
        {
            await Deposits.ForgetCachedAsync(cache, banked);
            LogDeposited(banked.Deposits.Count, banked.Accounts.Count, handled.Count);
        }
    }

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Deposited {Count} submitted outcomes into {Accounts} accounts from {Events} event(s)")]
    private partial void LogDeposited(int count, int accounts, int events);
}
