using CreditBank.Accounts.Data;
using CreditBank.Accounts.Domain;
using CreditBank.Contracts.Events;
using CreditBank.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Accounts.Events;

/// <summary>
/// Takes back a revoked outcome's credits (冲正): appends a reversal of the deposit — the deposit itself is never
/// changed. Once per outcome: a second revocation message, or a redelivery, finds the reversal and does nothing.
/// </summary>
public sealed partial class OutcomeRevokedConsumer(AccountsDb db, IAccountSummaryCache cache, TimeProvider time,
    ILogger<OutcomeRevokedConsumer> logger) : IConsumer<OutcomeRevoked>
{
    public async Task Consume(ConsumeContext<OutcomeRevoked> context)
    {
        var revoked = context.Message;
        LedgerEntry? reversal = null;
        await db.ProcessOnceAsync(context, nameof(OutcomeRevokedConsumer), async ct =>
        {
            var entries = await db.LedgerEntries.Where(l => l.OutcomeId == revoked.OutcomeId && (l.Kind == LedgerEntryKind.Deposit || l.Kind == LedgerEntryKind.Reversal))
                .ToListAsync(ct);
            var deposit = entries.FirstOrDefault(e => e.Kind == LedgerEntryKind.Deposit);
            if (deposit is null)
            {
                if (revoked.WasRecognised)
                {
                    // Recognised, but its deposit has not arrived yet (the two events travel apart): try again later.
                    throw new DepositNotYetBankedException(revoked.OutcomeId);
                }

                return;
            }

            if (entries.Any(e => e.Kind == LedgerEntryKind.Reversal))
            {
                return;
            }

            var now = time.GetUtcNow();
            var account = await db.Accounts.FirstAsync(a => a.Id == deposit.AccountId, ct);
            reversal = account.Append(LedgerEntryKind.Reversal, -deposit.Credits, revoked.OutcomeId, deposit.OutcomeKind,
                $"冲正 · {revoked.ReasonCode} · {deposit.Description}", revoked.Actor, revoked.EventId, now);
            db.LedgerEntries.Add(reversal);
            db.Enqueue(LedgerEvents.Posted(reversal, revoked.Actor, now));
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

/// <summary>A revocation overtook the deposit it reverses; MassTransit's retry brings it back once the deposit is in.</summary>
public sealed class DepositNotYetBankedException(Guid outcomeId)
    : Exception($"Outcome {outcomeId} was revoked before its deposit was banked; retrying.");
