namespace CreditBank.Contracts.Events;

/// <summary>An outcome was recognised (学习成果已认定): its credits belong in the learner's account.</summary>
public sealed record OutcomeRecognised : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string Actor { get; init; }

    public required Guid OutcomeId { get; init; }
    public required string InstitutionCode { get; init; }
    public required LearnerIdentity Learner { get; init; }

    /// <summary><c>COURSE</c>, <c>SKILL_CERTIFICATE</c>, <c>VOCATIONAL_QUALIFICATION</c>, <c>SPECIAL_ABILITY</c>, <c>TRAINING_RECORD</c>,
    /// <c>COMPETITION_AWARD</c> or <c>INFORMAL_OUTCOME</c> (more kinds are added, never renamed).</summary>
    public required string OutcomeKind { get; init; }

    /// <summary>A one-line description, e.g. "CS101 数据结构 (2025-2026-1)".</summary>
    public required string Title { get; init; }

    public required decimal Credits { get; init; }

    /// <summary>What conversion rules look at; null in events from before it was added.</summary>
    public OutcomeFacts? Facts { get; init; }
}
