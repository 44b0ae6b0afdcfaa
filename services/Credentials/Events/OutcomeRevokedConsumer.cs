using CreditBank.Contracts.Events;
using CreditBank.Credentials.Data;
using CreditBank.Credentials.Domain;
using CreditBank.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Credentials.Events;

/// <summary>
/// A revoked outcome's status bit is set, and so are the bits of the exemptions that used it: every credential that
/// states it stops verifying as soon as verifiers read the list again. The revocation decision is signed.
/// </summary>
/// <remarks>
/// Any arrival order converges. If the revocation comes before the outcome's recognition, it writes the outcome's
/// row itself, revoked, with a status index and its bit set; the recognition then fills in the facts and leaves it
/// revoked. If a conversion that used the outcome came first, its exemption's bit is set here; if it comes later, its
/// consumer sees the outcome revoked and sets the bit itself. A second revocation (or a redelivery past the inbox)
/// finds the row revoked and the bit set, and changes nothing: the list's version does not move, so verifiers' cached
/// copies stay valid. Revocation, recognition and conversion meet on the outcome's row (its key or its version).
/// An outcome revoked before it was ever recognised has no credential and gets no row; its decision is still signed.
/// </remarks>
public sealed class OutcomeRevokedConsumer(CredentialsDb db, CredentialsOptions options, DecisionSigner signer, StatusListCache cache,
    TimeProvider time) : StatusBitConsumer<OutcomeRevoked>(db, options, signer, cache, time)
{
    private protected override (Guid Subject, DecisionKind Kind) Decided(OutcomeRevoked revoked) => (revoked.OutcomeId, DecisionKind.Revocation);

    private protected override SignedDecision Sign(DecisionSigner signer, OutcomeRevoked revoked) => signer.Revocation(revoked);

    private protected override async Task ApplyAsync(OutcomeRevoked revoked, StatusLists lists, ISet<int> changed, CancellationToken ct)
    {
        if (!revoked.WasRecognised)
        {
            return;
        }

        var row = await Db.Outcomes.FirstOrDefaultAsync(o => o.OutcomeId == revoked.OutcomeId, ct);
        if (row is null)
        {
            row = OutcomeRows.New(revoked.OutcomeId, await lists.AllocateAsync(ct), revoked.Learner.DocumentType, revoked.Learner.DocumentHash);
            Db.Outcomes.Add(row);
        }

        OutcomeRows.FillFrom(row, revoked);
        if (!row.Revoked)
        {
            row.Revoked = true;
            row.RevokedAt = revoked.OccurredAt;
            row.Version++;
        }

        if (await lists.SetAsync(new StatusEntry(row.StatusListId, row.StatusIndex), ct))
        {
            changed.Add(row.StatusListId);
        }

        var used = await Db.ConversionOutcomes.Where(c => c.OutcomeId == revoked.OutcomeId).ToListAsync(ct);
        foreach (var link in used)
        {
            var item = await Db.ConversionItems.FirstAsync(c => c.ApplicationId == link.ApplicationId && c.ItemNumber == link.ItemNumber, ct);
            item.Revoked = true;
            if (await lists.SetAsync(new StatusEntry(item.StatusListId, item.StatusIndex), ct))
            {
                changed.Add(item.StatusListId);
            }
        }
    }
}
