namespace CreditBank.Contracts.Events;

/// <summary>
/// An outcome was revoked (学习成果已撤销): the certificate was withdrawn or fraud was found. If it had been
/// recognised, its credits are taken back by a new ledger entry (a reversal); the deposit itself is never changed.
/// </summary>
/// <remarks>
/// It may reach a consumer before the <see cref="OutcomesRecognised"/> that announced the outcome (the two travel
/// apart), so it carries what a consumer needs to act on its own: the learner, the kind, the title and the credits.
/// </remarks>
public sealed record OutcomeRevoked : IntegrationEvent
{
    public required Guid OutcomeId { get; init; }
    public required string InstitutionCode { get; init; }
    public required LearnerIdentity Learner { get; init; }
    public required string OutcomeKind { get; init; }

    /// <summary>The outcome's one-line description, as <see cref="RecognisedOutcome.Title"/> gave it.</summary>
    public required string Title { get; init; }

    /// <summary>Whether it had been recognised (and so announced by an <see cref="OutcomesRecognised"/>).</summary>
    public required bool WasRecognised { get; init; }

    /// <summary>The credits recognised (0 when it never was); the reversal takes back what the deposit gave.</summary>
    public required decimal Credits { get; init; }

    /// <summary>UPPER_SNAKE_CASE, e.g. <c>CERTIFICATE_WITHDRAWN</c> or <c>FRAUD</c>.</summary>
    public required string ReasonCode { get; init; }

    public required string Reason { get; init; }
}
