using CreditBank.Accounts.Data;
using CreditBank.Accounts.Domain;
using CreditBank.Contracts.Events;
using CreditBank.Contracts.Learning;
using CreditBank.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Accounts.Events;

/// <summary>
/// Takes back a revoked outcome's credits (冲正): appends a reversal — the deposit itself is never changed. Once per
/// outcome: a redelivery, or a second revocation message, finds the reversal and does nothing.
/// </summary>
/// <remarks>
/// Any arrival order converges. The reversal is posted when the revocation arrives, whether or not the deposit has:
/// the event carries the learner, the kind and the credits, and opens the learner's account if it is the first fact
/// about them. A deposit that arrives after its reversal is banked all the same (<see cref="Deposits"/>), so an outcome
/// recognised and then revoked always ends with one deposit and one reversal, netting to nothing; only the order of the
/// two in the ledger tells which arrived first. Both write the account's row, so a deposit and a reversal for one
/// learner in flight at once serialise on its version (or on its document hash when neither finds the account).
/// </remarks>
public sealed partial class OutcomeRevokedConsumer(AccountsDb db, IAccountSummaryCache cache, TimeProvider time,
    ILogger<OutcomeRevokedConsumer> logger) : IConsumer<OutcomeRevoked>
{
    public async Task Consume(ConsumeContext<OutcomeRevoked> context)
    {
        var revoked = context.Message;
        LedgerEntry? reversal = null;
        await db.ProcessOnceAsync(context, nameof(OutcomeRevokedConsumer), async ct =>
        {
            // Never recognised (revoked while waiting for review): nothing was or will be deposited.
            if (!revoked.WasRecognised
                || await db.LedgerEntries.AnyAsync(l => l.OutcomeId == revoked.OutcomeId && l.Kind == LedgerEntryKind.Reversal, ct))
            {
                return;
            }

            var now = time.GetUtcNow();
            var (account, opened) = await LearnerAccounts.FindOrOpenAsync(db, revoked.Learner, revoked.Actor, now, ct);
            reversal = account.Append(LedgerEntryKind.Reversal, -revoked.Credits, revoked.OutcomeId, OutcomeKinds.Parse(revoked.OutcomeKind),
                $"冲正 · {revoked.ReasonCode} · {revoked.Title} · {revoked.InstitutionCode}", revoked.Actor, revoked.EventId, now);
            LedgerEvents.Record(db, account, opened, [reversal], revoked.Actor, now);
        });

        if (reversal is not null)
        {
            await cache.InvalidateAsync(reversal.AccountId);
            LogReversed(-reversal.Credits, reversal.AccountId, revoked.OutcomeId);
        }
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Reversed {Credits} credits in account {AccountId} for revoked outcome {OutcomeId}")]
    private partial void LogReversed(decimal credits, Guid accountId, Guid outcomeId);
}
