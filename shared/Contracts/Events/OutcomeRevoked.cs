namespace CreditBank.Contracts.Events;

/// <summary>
/// An outcome was revoked (学习成果已撤销): the certificate was withdrawn or fraud was found. If it had been
/// recognised, its credits must be reversed by a new ledger entry; the deposit itself is never changed.
/// </summary>
public sealed record OutcomeRevoked : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string Actor { get; init; }

    public required Guid OutcomeId { get; init; }
    public required string InstitutionCode { get; init; }
    public required string LearnerDocumentHash { get; init; }
    public required string OutcomeKind { get; init; }

    /// <summary>Whether it had been recognised (and so published as <see cref="OutcomeRecognised"/> before).</summary>
    public required bool WasRecognised { get; init; }

    /// <summary>The credits recognised (0 when it never was); the reversal takes back what the deposit gave.</summary>
    public required decimal Credits { get; init; }

    /// <summary>UPPER_SNAKE_CASE, e.g. <c>CERTIFICATE_WITHDRAWN</c> or <c>FRAUD</c>.</summary>
    public required string ReasonCode { get; init; }

    public required string Reason { get; init; }
}
