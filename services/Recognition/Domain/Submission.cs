namespace CreditBank.Recognition.Domain;

/// <summary>
/// A submission's idempotency record (AIP-155): the first answer to (institution, request_id), kept so that a retry
/// gets exactly that answer and a different request reusing the id is refused.
/// </summary>
public sealed class Submission
{
    public required string InstitutionCode { get; init; }

    public required string RequestId { get; init; }

    /// <summary>SHA-256 of the request without its request_id.</summary>
    public required byte[] Fingerprint { get; init; }

    public required Guid OutcomeId { get; init; }

    /// <summary>The serialised first response.</summary>
    public required byte[] Response { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
