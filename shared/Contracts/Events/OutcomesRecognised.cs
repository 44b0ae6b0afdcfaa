namespace CreditBank.Contracts.Events;

/// <summary>
/// Outcomes were recognised (学习成果已认定): their credits belong in the learners' accounts. One event per
/// transaction and actor that recognised outcomes: a lone submission or a reviewer's decision is a list of one, a
/// group of single submissions written together a list of many, a batch chunk a list of hundreds. Each outcome is
/// announced by exactly one of these events.
/// </summary>
public sealed record OutcomesRecognised : IntegrationEvent
{
    /// <summary>The batch (批量提交) the outcomes are lines of; null when they were submitted or reviewed one at a time.</summary>
    public Guid? BatchId { get; init; }

    public required IReadOnlyList<RecognisedOutcome> Outcomes { get; init; }
}

/// <summary>One recognised outcome inside <see cref="OutcomesRecognised"/>.</summary>
/// <param name="OutcomeKind"><c>COURSE</c>, <c>SKILL_CERTIFICATE</c>, <c>VOCATIONAL_QUALIFICATION</c>, <c>SPECIAL_ABILITY</c>,
/// <c>TRAINING_RECORD</c>, <c>COMPETITION_AWARD</c> or <c>INFORMAL_OUTCOME</c> (more kinds are added, never renamed).</param>
/// <param name="Title">A one-line description, e.g. "CS101 数据结构 (2025-2026-1)".</param>
/// <param name="Facts">What conversion rules look at.</param>
public sealed record RecognisedOutcome(
    Guid OutcomeId,
    string InstitutionCode,
    LearnerIdentity Learner,
    string OutcomeKind,
    string Title,
    decimal Credits,
    OutcomeFacts? Facts = null);
