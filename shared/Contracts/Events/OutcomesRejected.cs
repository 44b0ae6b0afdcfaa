namespace CreditBank.Contracts.Events;

/// <summary>
/// Outcomes were not recognised (不予认定), e.g. failing grades; no credits follow. One event per transaction and actor
/// that rejected outcomes (a lone submission or a reviewer's decision is a list of one).
/// </summary>
public sealed record OutcomesRejected : IntegrationEvent
{
    /// <summary>The batch the outcomes are lines of; null when they were submitted or reviewed one at a time.</summary>
    public Guid? BatchId { get; init; }

    public required IReadOnlyList<RejectedOutcome> Outcomes { get; init; }
}

/// <summary>One rejected outcome inside <see cref="OutcomesRejected"/>; <c>ReasonCode</c> is UPPER_SNAKE_CASE, e.g. <c>GRADE_BELOW_PASS_MARK</c>.</summary>
public sealed record RejectedOutcome(Guid OutcomeId, string InstitutionCode, string LearnerDocumentHash, string OutcomeKind, string ReasonCode, string Reason);
