using CreditBank.Contracts.Events;
using CreditBank.Credentials.Data;
using CreditBank.Credentials.Domain;
using CreditBank.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Credentials.Events;

/// <summary>
/// Records a decided conversion's accepted exemptions (a status-list index each) so that they appear in the learner's
/// transcript, and signs the conversion decision.
/// </summary>
/// <remarks>
/// Any arrival order converges. An exemption's bit is set when any outcome it used is revoked: if the revocation came
/// first, this consumer finds the outcome's row revoked and sets the bit; if it comes later, the revocation's consumer
/// finds the exemption through <see cref="ConversionOutcome"/> and sets it. So that the two never miss each other
/// when they run at once, this consumer writes every outcome row it depends on — it bumps the row's version, or
/// writes the row itself when the outcome's recognition has not arrived yet — and the revocation writes the same row.
/// Exemptions are written once (their key is the application and item), the decision once.
/// </remarks>
public sealed class CreditsConvertedConsumer(CredentialsDb db, CredentialsOptions options, DecisionSigner signer, StatusListCache cache,
    TimeProvider time) : StatusBitConsumer<CreditsConverted>(db, options, signer, cache, time)
{
    private protected override (Guid Subject, DecisionKind Kind) Decided(CreditsConverted converted) => (converted.ApplicationId, DecisionKind.Conversion);

    private protected override SignedDecision Sign(DecisionSigner signer, CreditsConverted converted) => signer.Conversion(converted);

    private protected override async Task ApplyAsync(CreditsConverted converted, StatusLists lists, ISet<int> changed, CancellationToken ct)
    {
        var known = (await Db.ConversionItems.Where(c => c.ApplicationId == converted.ApplicationId).Select(c => c.ItemNumber).ToListAsync(ct)).ToHashSet();
        var outcomeIds = converted.Items.SelectMany(i => i.Outcomes.Select(o => o.OutcomeId)).Distinct().ToList();
        var outcomes = await Db.Outcomes.Where(o => outcomeIds.Contains(o.OutcomeId)).ToDictionaryAsync(o => o.OutcomeId, ct);
        foreach (var id in outcomeIds)
        {
            if (outcomes.TryGetValue(id, out var row))
            {
                row.Version++;
            }
            else
            {
                row = OutcomeRows.New(id, await lists.AllocateAsync(ct), converted.LearnerDocumentType, converted.LearnerDocumentHash);
                row.Kind = converted.Items.SelectMany(i => i.Outcomes).First(o => o.OutcomeId == id).OutcomeKind;
                Db.Outcomes.Add(row);
                outcomes[id] = row;
            }
        }

        foreach (var item in converted.Items.Where(i => !known.Contains(i.ItemNumber)))
        {
            var entry = await lists.AllocateAsync(ct);
            var revoked = item.Outcomes.Any(o => outcomes[o.OutcomeId].Revoked);
            Db.ConversionItems.Add(new ConversionItemRecord
            {
                ApplicationId = converted.ApplicationId,
                ItemNumber = item.ItemNumber,
                LearnerDocumentType = converted.LearnerDocumentType,
                LearnerDocumentHash = converted.LearnerDocumentHash,
                ProgrammeCode = converted.ProgrammeCode,
                InstitutionCode = converted.InstitutionCode,
                RuleId = item.RuleId,
                RuleVersion = item.RuleVersion,
                RuleDefinitionSha256 = item.RuleDefinitionSha256,
                CourseCodes = string.Join(',', item.CourseCodes),
                Credits = item.Credits,
                DecidedAt = converted.OccurredAt,
                Revoked = revoked,
                StatusListId = entry.ListId,
                StatusIndex = entry.Index,
            });
            foreach (var outcome in item.Outcomes.DistinctBy(o => o.OutcomeId))
            {
                Db.ConversionOutcomes.Add(new ConversionOutcome { OutcomeId = outcome.OutcomeId, ApplicationId = converted.ApplicationId, ItemNumber = item.ItemNumber });
            }

            if (revoked && await lists.SetAsync(entry, ct))
            {
                changed.Add(entry.ListId);
            }
        }
    }
}
