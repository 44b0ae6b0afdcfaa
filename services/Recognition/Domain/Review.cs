namespace CreditBank.Recognition.Domain;

/// <summary>
/// A review task (审核任务) in a workstation's queue: one per outcome that needs a person. It keeps who claimed it and
/// who decided what, when and why — the record a learner's complaint is answered from.
/// </summary>
public sealed class ReviewTask
{
    /// <summary>Queue order.</summary>
    public long Sequence { get; private set; }

    public required Guid OutcomeId { get; init; }

    public required string WorkstationCode { get; init; }

    /// <summary>Why it needs a person, e.g. <c>ISSUER_NOT_TRUSTED</c>.</summary>
    public required string QueuedReasonCode { get; init; }

    public DateTimeOffset QueuedAt { get; init; }

    public string? SuggestedUnitCode { get; init; }

    public decimal SuggestedCredits { get; init; }

    public string? ClaimedBy { get; private set; }

    public DateTimeOffset? ClaimedAt { get; private set; }

    /// <summary><c>RECOGNISED</c> or <c>REJECTED</c>, once decided; the task then leaves the queue.</summary>
    public string? Decision { get; private set; }

    public string? DecisionReasonCode { get; private set; }

    public string? Comment { get; private set; }

    public string? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public bool IsOpen => DecidedAt is null;

    /// <summary>Takes the task; false when another reviewer holds it.</summary>
    public bool Claim(string reviewer, DateTimeOffset at)
    {
        if (ClaimedBy is not null)
        {
            return ClaimedBy == reviewer;
        }

        (ClaimedBy, ClaimedAt) = (reviewer, at);
        return true;
    }

    public void Decide(string decision, string reasonCode, string? comment, string reviewer, DateTimeOffset at) =>
        (Decision, DecisionReasonCode, Comment, DecidedBy, DecidedAt) = (decision, reasonCode, comment, reviewer, at);

    /// <summary>Closes the task without a reviewer's decision (the outcome was revoked while it waited).</summary>
    public void Withdraw(string reasonCode, string actor, DateTimeOffset at) =>
        (Decision, DecisionReasonCode, DecidedBy, DecidedAt) = ("WITHDRAWN", reasonCode, actor, at);
}
