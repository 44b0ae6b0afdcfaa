using CreditBank.Credentials.Domain;
using CreditBank.PersonalData;

namespace CreditBank.Credentials.Data;

/// <summary>
/// Issues a learner's credentials: reads what they state, names the holder by a salted hash of their document number
/// (read back from its seal for this moment only, never stored or logged), has the domain build and sign, and keeps
/// what was issued so that it can be downloaded and verified by id.
/// </summary>
/// <remarks>
/// An outcome's (or exemption's) credential is issued once, the first time the learner asks for it or for a transcript,
/// and kept (<see cref="OutcomeRecord.CredentialId"/>): its id, validFrom, salted identifier and status entry never
/// change, and a transcript embeds the kept credentials as they are and signs only itself. Two requests that issue the
/// same outcome's first credential at once both save theirs; one keeps it, the other forgets its own and reads the
/// kept one, so both answer with the same credential. Kept credentials are read from the database once per replica,
/// then from memory (<see cref="KeptCredentialCache"/>). A transcript is kept as its envelope and signature and built
/// again when it is downloaded or verified by id (<see cref="IssuedCredentialRecord"/>).
/// </remarks>
internal sealed class Issuance(CredentialStore store, CredentialFactory factory, KeptCredentialCache cache, DocumentProtector documents, TimeProvider time)
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

        var kept = await KeptAsync(learnerDocumentHash, [outcome], [], outcome, ct);
        return new Issued(kept[0].Record, Revoked: false);
    }

    /// <summary>The learner's transcript (its record and VC-JWT, and the ids it embeds); null when nothing of theirs is banked.</summary>
    public async Task<IssuedTranscript?> TranscriptAsync(string learnerDocumentHash, CancellationToken ct)
    {
        var (outcomes, conversions) = await store.TranscriptOfAsync(learnerDocumentHash, ct);
        var holderRow = outcomes.FirstOrDefault(o => o.LearnerDocumentSealed.Length > 0) ?? await store.AnyOutcomeOfAsync(learnerDocumentHash, ct);
        if (holderRow is null || outcomes.Count + conversions.Count == 0)
        {
            return null;
        }

        var embedded = await KeptAsync(learnerDocumentHash, outcomes, conversions, holderRow, ct);
        var now = time.GetUtcNow();
        var transcript = factory.IssueTranscript([.. embedded.Select(e => e.Kept)], [.. outcomes.Select(o => o.Statement())],
            [.. conversions.Select(c => c.Item.Statement(c.OutcomeIds))], Holder(holderRow), now);
        var record = new IssuedCredentialRecord
        {
            Id = transcript.Id,
            Kind = IssuedKind.Transcript,
            LearnerDocumentHash = learnerDocumentHash,
            OutcomeIds = string.Join(',', outcomes.Select(o => o.OutcomeId)),
            IssuedAt = now,
            KeyId = transcript.KeyId,
            Jwt = transcript.Kept.DetachedJws,
            PayloadHead = transcript.Kept.Head,
            PayloadTail = transcript.Kept.Tail,
            EmbeddedIds = string.Join(',', transcript.EmbeddedIds),
        };
        try
        {
            await store.SaveAsync(record, ct);
        }
        catch
        {
            // Never handed out: its rented buffer goes back to the pool now.
            transcript.Jwt.Dispose();
            throw;
        }

        return new IssuedTranscript(record, transcript.Jwt, transcript.EmbeddedIds);
    }

    /// <summary>
    /// A credential issued before, by id, with its VC-JWT (a transcript's built again from its envelope, signature and
    /// the kept credentials it embeds: the same bytes as when it was issued); null when the bank issued none of that id.
    /// </summary>
    public async Task<(IssuedCredentialRecord Record, string Jwt)?> IssuedAsync(Guid id, CancellationToken ct)
    {
        if (cache.TryGet(id, out var cached))
        {
            return (cached.Record, cached.Kept.Jwt);
        }

        var record = await store.IssuedAsync(id, ct);
        if (record?.KeptTranscript() is not { } kept)
        {
            return record is null ? null : (record, record.Jwt);
        }

        var embedded = await KeptByIdAsync(record.Embedded(), ct);
        return (record, CredentialFactory.RebuildTranscript(kept, [.. embedded.Select(e => e.Kept)]));
    }

    /// <summary>Kept credentials by id, in that order: from memory, the rest from the database (then kept in memory).</summary>
    private async Task<CachedCredential[]> KeptByIdAsync(IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        var found = new CachedCredential[ids.Count];
        List<Guid>? missing = null;
        for (var i = 0; i < ids.Count; i++)
        {
            if (cache.TryGet(ids[i], out var cached))
            {
                found[i] = cached;
            }
            else
            {
                (missing ??= []).Add(ids[i]);
            }
        }

        if (missing is null)
        {
            return found;
        }

        var read = await store.IssuedAsync(missing, ct);
        for (var i = 0; i < ids.Count; i++)
        {
            found[i] ??= read.TryGetValue(ids[i], out var record)
                ? cache.Add(record)
                : throw new InvalidOperationException($"Kept credential {ids[i]} is not saved.");
        }

        return found;
    }

    /// <summary>
    /// The kept credential of each outcome, then of each exemption, in their order: read back when issued before, issued
    /// and kept now otherwise.
    /// </summary>
    private async Task<CachedCredential[]> KeptAsync(string learnerDocumentHash, IReadOnlyList<OutcomeRecord> outcomes,
        IReadOnlyList<(ConversionItemRecord Item, List<Guid> OutcomeIds)> conversions, OutcomeRecord holderRow, CancellationToken ct)
    {
        var ids = outcomes.Select(o => o.CredentialId).Concat(conversions.Select(c => c.Item.CredentialId)).OfType<Guid>().ToList();
        var known = (await KeptByIdAsync(ids, ct)).ToDictionary(c => c.Record.Id);
        var kept = new CachedCredential[outcomes.Count + conversions.Count];
        var fresh = new List<Fresh>();
        var now = time.GetUtcNow();
        Holder? holder = null;
        for (var i = 0; i < outcomes.Count; i++)
        {
            var outcome = outcomes[i];
            if (outcome.CredentialId is { } id && known.TryGetValue(id, out var issued))
            {
                kept[i] = issued;
                continue;
            }

            var signed = factory.IssueOutcome(outcome.Statement(), holder ??= Holder(holderRow), now);
            fresh.Add(new Fresh(i, Record(signed, learnerDocumentHash, outcome.OutcomeId.ToString(), now),
                (credential, token) => store.KeepAsync(outcome.OutcomeId, credential, token), token => store.KeptAsync(outcome.OutcomeId, token)));
        }

        for (var i = 0; i < conversions.Count; i++)
        {
            var (item, outcomeIds) = conversions[i];
            if (item.CredentialId is { } id && known.TryGetValue(id, out var issued))
            {
                kept[outcomes.Count + i] = issued;
                continue;
            }

            var signed = factory.IssueConversion(item.Statement(outcomeIds), holder ??= Holder(holderRow), now);
            fresh.Add(new Fresh(outcomes.Count + i, Record(signed, learnerDocumentHash, string.Join(',', outcomeIds), now),
                (credential, token) => store.KeepAsync(item.ApplicationId, item.ItemNumber, credential, token),
                token => store.KeptAsync(item.ApplicationId, item.ItemNumber, token)));
        }

        if (fresh.Count == 0)
        {
            return kept;
        }

        // Saved before they are kept: a kept id always names a saved credential, whoever reads it.
        await store.SaveAsync([.. fresh.Select(f => f.Record)], ct);
        var beaten = new List<Guid>();
        foreach (var entry in fresh)
        {
            if (await entry.Keep(entry.Record.Id, ct))
            {
                kept[entry.Index] = cache.Add(entry.Record);
                continue;
            }

            beaten.Add(entry.Record.Id);
            var winner = await entry.Kept(ct) ?? throw new InvalidOperationException("An outcome's kept credential was cleared.");
            kept[entry.Index] = (await KeptByIdAsync([winner], ct))[0];
        }

        if (beaten.Count > 0)
        {
            await store.ForgetAsync(beaten, ct);
        }

        return kept;
    }

    private static IssuedCredentialRecord Record(SignedCredential signed, string learnerDocumentHash, string outcomeIds, DateTimeOffset now) => new()
    {
        Id = signed.Id,
        Kind = IssuedKind.Achievement,
        LearnerDocumentHash = learnerDocumentHash,
        OutcomeIds = outcomeIds,
        IssuedAt = now,
        KeyId = signed.KeyId,
        Jwt = signed.Jwt,
    };

    /// <summary>
    /// The identifier a credential's IdentityObject hashes: the learner's document number, so that a verifier who is shown
    /// the holder's document can check it offline (docs/credentials.md, "Who a credential is about").
    /// </summary>
    private Holder Holder(OutcomeRecord outcome) => new(outcome.LearnerDocumentType, documents.Unseal(outcome.LearnerDocumentSealed));

    /// <summary>
    /// A transcript as issued: its record (what is kept of it), its VC-JWT (pooled bytes: whoever answers with them
    /// disposes them), and the ids of the credentials it embeds.
    /// </summary>
    public sealed record IssuedTranscript(IssuedCredentialRecord Record, PooledJws Jwt, IReadOnlyList<Guid> Embedded);

    /// <summary>An issued credential, or the outcome's revocation (nothing issued).</summary>
    public sealed record Issued(IssuedCredentialRecord? Record, bool Revoked);

    /// <summary>A credential issued now: where it goes in the answer, how to keep it, and how to read the one kept instead.</summary>
    private sealed record Fresh(int Index, IssuedCredentialRecord Record, Func<Guid, CancellationToken, Task<bool>> Keep, Func<CancellationToken, Task<Guid?>> Kept);
}
