namespace CreditBank.Contracts.Events;

/// <summary>
/// Many outcomes of one batch were recognised at once (one chunk of a 批量提交). Carries what an
/// <see cref="OutcomeRecognised"/> carries for each, so a consumer can bank a whole chunk in one transaction; each
/// outcome appears in exactly one of <see cref="OutcomeRecognised"/>, <see cref="SubmittedOutcomesRecognised"/> and this.
/// </summary>
public sealed record OutcomesRecognised : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string Actor { get; init; }

    public required Guid BatchId { get; init; }
    public required IReadOnlyList<RecognisedOutcome> Outcomes { get; init; }
}

/// <summary>One recognised outcome inside <see cref="OutcomesRecognised"/> or <see cref="SubmittedOutcomesRecognised"/>.</summary>
public sealed record RecognisedOutcome(
    Guid OutcomeId,
    string InstitutionCode,
    LearnerIdentity Learner,
    string OutcomeKind,
    string Title,
    decimal Credits,
    OutcomeFacts? Facts = null);
