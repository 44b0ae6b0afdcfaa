using CreditBank.Grpc;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Submissions;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Recognition.Revocations;

/// <summary>
/// Revocation (撤销认定): the outcome revoked, its open review task withdrawn, and <c>OutcomeRevoked</c> queued, in one
/// transaction. Revoking twice answers with the outcome as it is; a reviewer deciding at the same moment loses or wins
/// by the outcome's concurrency token, never both.
/// </summary>
internal sealed partial class OutcomeRevocation(RecognitionDb db, OutcomeIntake intake, TimeProvider time, ILogger<OutcomeRevocation> logger)
{

    /// <param name="issuer">The institution revoking its own outcome; null for an administrator. Another issuer's outcome does not exist.</param>
    /// <returns>The outcome, and whether this call revoked it (false when it already was).</returns>
    public async Task<(Outcome Outcome, bool RevokedNow)> RevokeAsync(Guid id, string? issuer, string actor, string reasonCode, string comment,
        CancellationToken ct)
    {
        var outcome = await db.Outcomes.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (outcome is null || (issuer is not null && outcome.InstitutionCode != issuer))
        {
            throw Problems.NotFound("OUTCOME_NOT_FOUND", $"No outcome (学习成果) {id} exists.");
        }

        if (outcome.Status == OutcomeStatus.Revoked)
        {
            return (outcome, false);
        }

        var now = time.GetUtcNow();
        var wasRecognised = outcome.Status == OutcomeStatus.Recognised;
        outcome.Revoke(reasonCode, $"Revoked (已撤销) by {actor}: {comment}", now, actor);
        var task = await db.ReviewTasks.FirstOrDefaultAsync(t => t.OutcomeId == id && t.DecidedAt == null, ct);
        task?.Withdraw(reasonCode, actor, now);
        intake.EnqueueRevocation(outcome, wasRecognised, actor, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A reviewer's decision or another revocation got there first: look again.
            db.ChangeTracker.Clear();
            var current = await db.Outcomes.AsNoTracking().FirstAsync(o => o.Id == id, CancellationToken.None);
            return current.Status == OutcomeStatus.Revoked
                ? (current, false)
                : throw Problems.FailedPrecondition("CONCURRENT_DECISION", "The outcome changed while it was being revoked; send the request again.");
        }

        LogRevoked(outcome.Id, actor, reasonCode, wasRecognised);
        return (outcome, true);
    }

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information,
        Message = "Outcome {OutcomeId} revoked by {Actor} ({ReasonCode}); had been recognised: {WasRecognised}")]
    private partial void LogRevoked(Guid outcomeId, string actor, string reasonCode, bool wasRecognised);
}
