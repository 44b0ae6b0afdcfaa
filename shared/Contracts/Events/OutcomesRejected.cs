namespace CreditBank.Contracts.Events;

/// <summary>Many outcomes of one batch were not recognised (不予认定), e.g. failing grades; no credits follow.</summary>
public sealed record OutcomesRejected : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string Actor { get; init; }

    public required Guid BatchId { get; init; }
    public required IReadOnlyList<RejectedOutcome> Outcomes { get; init; }
}

/// <summary>One rejected outcome inside <see cref="OutcomesRejected"/>.</summary>
public sealed record RejectedOutcome(Guid OutcomeId, string InstitutionCode, string LearnerDocumentHash, string OutcomeKind, string ReasonCode, string Reason);
