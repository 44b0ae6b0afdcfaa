namespace CreditBank.Contracts.Events;

/// <summary>An outcome was not recognised (不予认定); no credits follow.</summary>
public sealed record OutcomeRejected : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string Actor { get; init; }

    public required Guid OutcomeId { get; init; }
    public required string InstitutionCode { get; init; }
    public required string LearnerDocumentHash { get; init; }
    public required string OutcomeKind { get; init; }

    /// <summary>UPPER_SNAKE_CASE, e.g. <c>GRADE_BELOW_PASS_MARK</c>.</summary>
    public required string ReasonCode { get; init; }

    public required string Reason { get; init; }
}
