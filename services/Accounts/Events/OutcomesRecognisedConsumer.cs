using CreditBank.Accounts.Data;
using CreditBank.Contracts.Events;
using CreditBank.Messaging;
using MassTransit;

namespace CreditBank.Accounts.Events;

/// <summary>
/// Banks a whole chunk of a batch in one transaction (see <see cref="Deposits"/>) and announces its deposits with one
/// <see cref="LedgerEntriesPosted"/>.
/// </summary>
public sealed partial class OutcomesRecognisedConsumer(AccountsDb db, IAccountSummaryCache cache, TimeProvider time,
    ILogger<OutcomesRecognisedConsumer> logger) : IConsumer<OutcomesRecognised>
{
    public async Task Consume(ConsumeContext<OutcomesRecognised> context)
    {
        var batch = context.Message;
        Banked? banked = null;
        var processed = await db.ProcessOnceAsync(context, nameof(OutcomesRecognisedConsumer), async ct =>
        {
            var now = time.GetUtcNow();
            var orders = batch.Outcomes
                .Select(o => new DepositOrder(o.OutcomeId, o.Learner, o.Credits, o.OutcomeKind, o.Title, o.InstitutionCode, batch.Actor, batch.EventId))
                .ToList();
            banked = await Deposits.BankAsync(db, orders, now, ct);
            if (banked.Deposits.Count > 0)
            {
                db.Enqueue(LedgerEvents.PostedAll(banked.Deposits, batch.Actor, now));
            }
        });

        // Not when a concurrent delivery won: what the handler built was rolled back.
        if (processed && banked is not null)
        {
            await Deposits.ForgetCachedAsync(cache, banked);
            LogDeposited(banked.Deposits.Count, banked.Accounts.Count, batch.BatchId);
        }
    }

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Deposited {Count} outcomes into {Accounts} accounts from batch {BatchId}")]
    private partial void LogDeposited(int count, int accounts, Guid batchId);
}
