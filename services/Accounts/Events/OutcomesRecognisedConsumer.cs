using CreditBank.Accounts.Data;
using CreditBank.Contracts.Events;
using CreditBank.Messaging;
using Microsoft.Extensions.Options;

namespace CreditBank.Accounts.Events;

/// <summary>
/// Banks recognised outcomes (存入) — lone submissions', groups' and batch chunks', those that arrive together in one
/// transaction (see <see cref="ListEventConsumer{TEvent}"/> and <see cref="Deposits"/>) — and announces the deposits
/// with one <see cref="LedgerEntriesPosted"/> per actor.
/// </summary>
/// <remarks>
/// Any arrival order converges: an outcome is deposited once (the inbox, then the ledger's unique deposit per outcome),
/// whether or not its revocation came first — a reversal that came first stays, and the pair nets to nothing.
/// </remarks>
public sealed partial class OutcomesRecognisedConsumer(AccountsDb db, IAccountSummaryCache cache, TimeProvider time,
    IOptions<MessagingOptions> options, ILogger<OutcomesRecognisedConsumer> logger) : ListEventConsumer<OutcomesRecognised>(db, options)
{
    private Banked? _banked;

    protected override int ItemsOf(OutcomesRecognised message) => message.Outcomes.Count;

    protected override async Task HandleAsync(IReadOnlyList<OutcomesRecognised> events, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var orders = events
            .SelectMany(e => e.Outcomes.Select(o => new DepositOrder(o.OutcomeId, o.Learner, o.Credits, o.OutcomeKind, o.Title, o.InstitutionCode, e.Actor, e.EventId)))
            .ToList();
        _banked = await Deposits.BankAsync(db, orders, now, ct);
        foreach (var byActor in _banked.Deposits.GroupBy(d => d.Actor, StringComparer.Ordinal))
        {
            db.Enqueue(byActor.Key, now, LedgerEvents.Posted(byActor));
        }
    }

    protected override async Task HandledAsync(IReadOnlyList<OutcomesRecognised> events, CancellationToken ct)
    {
        if (_banked is { } banked)
        {
            await Deposits.ForgetCachedAsync(cache, banked);
            LogDeposited(banked.Deposits.Count, banked.Accounts.Count, events.Count);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Deposited {Count} outcomes into {Accounts} accounts from {Events} event(s)")]
    private partial void LogDeposited(int count, int accounts, int events);
}
