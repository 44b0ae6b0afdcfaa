using CreditBank.Credentials.Domain;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Credentials.Data;

/// <summary>What issuing and verifying read and write: a learner's outcomes and exemptions, issued credentials, signed decisions.</summary>
internal sealed class CredentialStore(CredentialsDb db)
{
    /// <summary>A recognised outcome of this learner's; null when it does not exist or is someone else's (the same answer).</summary>
    public Task<OutcomeRecord?> OutcomeOfAsync(Guid outcomeId, string learnerDocumentHash, CancellationToken ct) =>
        db.Outcomes.AsNoTracking().FirstOrDefaultAsync(o => o.OutcomeId == outcomeId && o.LearnerDocumentHash == learnerDocumentHash && o.RecognisedAt != null, ct);

    /// <summary>What a transcript states: the learner's banked outcomes and accepted exemptions that stand (not revoked), oldest first.</summary>
    public async Task<(List<OutcomeRecord> Outcomes, List<(ConversionItemRecord Item, List<Guid> OutcomeIds)> Conversions)> TranscriptOfAsync(
        string learnerDocumentHash, CancellationToken ct)
    {
        var outcomes = await db.Outcomes.AsNoTracking()
            .Where(o => o.LearnerDocumentHash == learnerDocumentHash && o.RecognisedAt != null && !o.Revoked)
            .ToListAsync(ct);
        outcomes = [.. outcomes.OrderBy(o => o.RecognisedAt).ThenBy(o => o.OutcomeId)];
        var items = await db.ConversionItems.AsNoTracking().Where(c => c.LearnerDocumentHash == learnerDocumentHash && !c.Revoked).ToListAsync(ct);
        var conversions = new List<(ConversionItemRecord, List<Guid>)>(items.Count);
        if (items.Count > 0)
        {
            var applicationIds = items.Select(i => i.ApplicationId).Distinct().ToList();
            var links = await db.ConversionOutcomes.AsNoTracking().Where(l => applicationIds.Contains(l.ApplicationId)).ToListAsync(ct);
            conversions.AddRange(items.OrderBy(i => i.DecidedAt).ThenBy(i => i.ApplicationId).ThenBy(i => i.ItemNumber).Select(i =>
                (i, links.Where(l => l.ApplicationId == i.ApplicationId && l.ItemNumber == i.ItemNumber).Select(l => l.OutcomeId).ToList())));
        }

        return (outcomes, conversions);
    }

    /// <summary>The sealed document of any of the learner's recognised outcomes (every one seals the same number).</summary>
    public Task<OutcomeRecord?> AnyOutcomeOfAsync(string learnerDocumentHash, CancellationToken ct) =>
        db.Outcomes.AsNoTracking().FirstOrDefaultAsync(o => o.LearnerDocumentHash == learnerDocumentHash && o.RecognisedAt != null && o.LearnerDocumentSealed != "", ct);

    public async Task SaveAsync(IssuedCredentialRecord issued, CancellationToken ct)
    {
        db.IssuedCredentials.Add(issued);
        await db.SaveChangesAsync(ct);
    }

    public async Task SaveAsync(IReadOnlyCollection<IssuedCredentialRecord> issued, CancellationToken ct)
    {
        db.IssuedCredentials.AddRange(issued);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    public Task<IssuedCredentialRecord?> IssuedAsync(Guid id, CancellationToken ct) =>
        db.IssuedCredentials.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>The issued credentials of these ids, by id (those that exist).</summary>
    public async Task<Dictionary<Guid, IssuedCredentialRecord>> IssuedAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) => ids.Count == 0
        ? []
        : await db.IssuedCredentials.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);

    /// <summary>
    /// Makes a saved credential the outcome's kept one, unless another request kept one first (false then). Only this
    /// column is written: the events' consumers, which meet on the row's version, are neither blocked nor made to retry.
    /// </summary>
    public async Task<bool> KeepAsync(Guid outcomeId, Guid credentialId, CancellationToken ct) =>
        await db.Outcomes.Where(o => o.OutcomeId == outcomeId && o.CredentialId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.CredentialId, credentialId), ct) == 1;

    /// <summary>The same for an exemption.</summary>
    public async Task<bool> KeepAsync(Guid applicationId, int itemNumber, Guid credentialId, CancellationToken ct) =>
        await db.ConversionItems.Where(c => c.ApplicationId == applicationId && c.ItemNumber == itemNumber && c.CredentialId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.CredentialId, credentialId), ct) == 1;

    public Task<Guid?> KeptAsync(Guid outcomeId, CancellationToken ct) =>
        db.Outcomes.Where(o => o.OutcomeId == outcomeId).Select(o => o.CredentialId).FirstOrDefaultAsync(ct);

    public Task<Guid?> KeptAsync(Guid applicationId, int itemNumber, CancellationToken ct) =>
        db.ConversionItems.Where(c => c.ApplicationId == applicationId && c.ItemNumber == itemNumber).Select(c => c.CredentialId).FirstOrDefaultAsync(ct);

    /// <summary>Deletes credentials saved by a request that another beat to keeping: they were never handed out.</summary>
    public Task ForgetAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        db.IssuedCredentials.Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(ct);

    public Task<List<DecisionRecord>> DecisionsAsync(Guid subjectId, CancellationToken ct) =>
        db.Decisions.AsNoTracking().Where(d => d.SubjectId == subjectId).OrderBy(d => d.DecidedAt).ToListAsync(ct);
}
