using CreditBank.Credentials.Domain;
using CreditBank.PersonalData;

namespace CreditBank.Credentials.Data;

/// <summary>
/// Issues a learner's credentials: reads what they state, names the holder by a salted hash of their document number
/// (read back from its seal for this moment only, never stored or logged), has the domain build and sign, and keeps
/// what was issued so that it can be downloaded and verified by id.
/// </summary>
internal sealed class Issuance(CredentialStore store, CredentialFactory factory, DocumentProtector documents, TimeProvider time)
{
    /// <summary>The credential of one of the learner's outcomes; null when there is no such outcome of theirs.</summary>
    public async Task<Issued?> OutcomeAsync(Guid outcomeId, string learnerDocumentHash, CancellationToken ct)
    {
        var outcome = await store.OutcomeOfAsync(outcomeId, learnerDocumentHash, ct);
        if (outcome is null)
        {
            return null;
        }

        if (outcome.Revoked)
        {
            return new Issued(null, Revoked: true);
        }

        var now = time.GetUtcNow();
        var signed = factory.IssueOutcome(outcome.Statement(), Holder(outcome), now);
        var record = new IssuedCredentialRecord
        {
            Id = signed.Id,
            Kind = IssuedKind.Achievement,
            LearnerDocumentHash = learnerDocumentHash,
            OutcomeIds = outcome.OutcomeId.ToString(),
            IssuedAt = now,
            KeyId = signed.KeyId,
            Jwt = signed.Jwt,
        };
        await store.SaveAsync(record, ct);
        return new Issued(record, Revoked: false);
    }

    /// <summary>The learner's transcript; null when nothing of theirs is banked.</summary>
    public async Task<(IssuedCredentialRecord Record, IReadOnlyList<Guid> Embedded)?> TranscriptAsync(string learnerDocumentHash, CancellationToken ct)
    {
        var (outcomes, conversions) = await store.TranscriptOfAsync(learnerDocumentHash, ct);
        var holderRow = outcomes.FirstOrDefault(o => o.LearnerDocumentSealed.Length > 0) ?? await store.AnyOutcomeOfAsync(learnerDocumentHash, ct);
        if (holderRow is null || outcomes.Count + conversions.Count == 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var transcript = factory.IssueTranscript([.. outcomes.Select(o => o.Statement())], [.. conversions.Select(c => c.Item.Statement(c.OutcomeIds))],
            Holder(holderRow), now);
        var record = new IssuedCredentialRecord
        {
            Id = transcript.Credential.Id,
            Kind = IssuedKind.Transcript,
            LearnerDocumentHash = learnerDocumentHash,
            OutcomeIds = string.Join(',', outcomes.Select(o => o.OutcomeId)),
            IssuedAt = now,
            KeyId = transcript.Credential.KeyId,
            Jwt = transcript.Credential.Jwt,
        };
        await store.SaveAsync(record, ct);
        return (record, transcript.EmbeddedIds);
    }

    /// <summary>
    /// The identifier a credential's IdentityObject hashes: the learner's document number, so that a verifier who is shown
    /// the holder's document can check it offline (docs/credentials.md, "Who a credential is about").
    /// </summary>
    private Holder Holder(OutcomeRecord outcome) => new(outcome.LearnerDocumentType, documents.Unseal(outcome.LearnerDocumentSealed));

    /// <summary>An issued credential, or the outcome's revocation (nothing issued).</summary>
    public sealed record Issued(IssuedCredentialRecord? Record, bool Revoked);
}
