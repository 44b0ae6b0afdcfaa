using CreditBank.Accounts.Data;
using CreditBank.Contracts.Events;
using CreditBank.Messaging;
using MassTransit;

namespace CreditBank.Accounts.Events;

/// <summary>
/// Banks recognised outcomes (存入) — a lone submission's, a group's or a whole batch chunk's — in one transaction (see
/// <see cref="Deposits"/>), and announces the deposits with one <see cref="LedgerEntriesPosted"/>.
/// </summary>
/// <remarks>
/// Any arrival order converges: an outcome is deposited once (the inbox, then the ledger's unique deposit per outcome),
/// whether or not its revocation came first — a reversal that came first stays, and the pair nets to nothing.
/// </remarks>
public sealed partial class OutcomesRecognisedConsumer(AccountsDb db, IAccountSummaryCache cache, TimeProvider time,
    ILogger<OutcomesRecognisedConsumer> logger) : IConsumer<OutcomesRecognised>
{
    public async Task Consume(ConsumeContext<OutcomesRecognised> context)
    {
        var recognised = context.Message;
        Banked? banked = null;
        var processed = await db.ProcessOnceAsync(context, nameof(OutcomesRecognisedConsumer), async ct =>
        {
            var now = time.GetUtcNow();
            var orders = recognised.Outcomes
                .Select(o => new DepositOrder(o.OutcomeId, o.Learner, o.Credits, o.OutcomeKind, o.Title, o.InstitutionCode, recognised.Actor, recognised.EventId))
                .ToList();
            banked = await Deposits.BankAsync(db, orders, now, ct);
            if (banked.Deposits.Count > 0)
            {
                db.Enqueue(recognised.Actor, now, LedgerEvents.Posted(banked.Deposits));
            }
        });

        // Not when a concurrent delivery won: what the handler built was rolled back.
        if (processed && banked is not null)
        {
            await Deposits.ForgetCachedAsync(cache, banked);
            LogDeposited(banked.Deposits.Count, banked.Accounts.Count, recognised.EventId);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Deposited {Count} outcomes into {Accounts} accounts from event {EventId}")]
    private partial void LogDeposited(int count, int accounts, Guid eventId);
}
