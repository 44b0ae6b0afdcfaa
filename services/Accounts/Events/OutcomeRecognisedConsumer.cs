using CreditBank.Accounts.Data;
using CreditBank.Contracts.Events;
using CreditBank.Messaging;
using MassTransit;

namespace CreditBank.Accounts.Events;

/// <summary>
/// Banks recognised outcomes submitted one at a time: opens the learner's account if they have none, appends a
/// deposit, and announces it with a <see cref="LedgerEntryPosted"/>. The outcomes that arrive together are banked in
/// one transaction (<see cref="EventBatchConsumerDefinition{TConsumer}"/>).
/// </summary>
public sealed partial class OutcomeRecognisedConsumer(AccountsDb db, IAccountSummaryCache cache, TimeProvider time,
    ILogger<OutcomeRecognisedConsumer> logger) : IConsumer<Batch<OutcomeRecognised>>
{
    public async Task Consume(ConsumeContext<Batch<OutcomeRecognised>> context)
    {
        Banked? banked = null;
        var handled = await db.ProcessOnceAsync(context, nameof(OutcomeRecognisedConsumer), async (events, ct) =>
        {
            var now = time.GetUtcNow();
            var orders = events.Select(e => e.Message)
                .Select(m => new DepositOrder(m.OutcomeId, m.Learner, m.Credits, m.OutcomeKind, m.Title, m.InstitutionCode, m.Actor, m.EventId))
                .ToList();
            banked = await Deposits.BankAsync(db, orders, now, ct);
            foreach (var deposit in banked.Deposits)
            {
                db.Enqueue(LedgerEvents.Posted(deposit, deposit.Actor, now));
            }
        });

        // Not when a concurrent delivery won: what the handler built was rolled back.
        if (handled.Count > 0 && banked is not null)
        {
            await Deposits.ForgetCachedAsync(cache, banked);
            foreach (var deposit in banked.Deposits)
            {
                LogDeposited(deposit.Credits, deposit.AccountId, deposit.OutcomeId);
            }
        }

        if (handled.Count < context.Message.Length)
        {
            LogAlreadyBanked(context.Message.Length - handled.Count);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Deposited {Credits} credits to account {AccountId} for outcome {OutcomeId}")]
    private partial void LogDeposited(decimal credits, Guid accountId, Guid outcomeId);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "{Count} OutcomeRecognised message(s) seen before; acknowledged")]
    private partial void LogAlreadyBanked(int count);
}
