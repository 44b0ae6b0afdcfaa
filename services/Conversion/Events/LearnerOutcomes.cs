using CreditBank.Contracts.Events;
using CreditBank.Conversion.Data;
using CreditBank.Conversion.Domain;
using CreditBank.Messaging;
using CreditBank.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreditBank.Conversion.Events;

/// <summary>
/// Keeps conversion's copy of learners' recognised outcomes: one row per outcome, from recognition's events — lone
/// submissions', groups' and batch chunks', those that arrive together in one transaction (<see cref="ListEventConsumer{TEvent}"/>).
/// </summary>
/// <remarks>
/// Any arrival order converges. A row is written once per outcome; if the outcome's revocation arrived first, its row
/// is already there, revoked, and only its facts are filled in — it stays revoked (see <see cref="OutcomeRevokedConsumer"/>).
/// </remarks>
public sealed class OutcomesRecognisedConsumer(ConversionDb db, IOptions<MessagingOptions> options) : ListEventConsumer<OutcomesRecognised>(db, options)
{
    protected override int ItemsOf(OutcomesRecognised message) => message.Outcomes.Count;

    protected override Task HandleAsync(IReadOnlyList<OutcomesRecognised> events, CancellationToken ct) => LearnerOutcomeRows.AddAsync(db, events, ct);
}

/// <summary>A revoked outcome counts for nothing from now on, and flags the conversions that used it.</summary>
/// <remarks>
/// Any arrival order converges: a revocation that arrives before the outcome's recognition writes the outcome's row
/// itself, revoked (from what the event carries), and the recognition that follows fills in the facts and never
/// un-revokes it. Both write the same row (its key is the outcome id), so the two in flight at once serialise on it.
/// An outcome revoked before it was ever recognised never reaches conversion, and leaves no row.
/// </remarks>
public sealed class OutcomeRevokedConsumer(ConversionDb db) : IConsumer<OutcomeRevoked>
{
    public Task Consume(ConsumeContext<OutcomeRevoked> context) =>
        db.ProcessOnceAsync(context, nameof(OutcomeRevokedConsumer), async ct =>
        {
            var revoked = context.Message;
            if (!revoked.WasRecognised)
            {
                return;
            }

            if (await db.LearnerOutcomes.FirstOrDefaultAsync(o => o.OutcomeId == revoked.OutcomeId, ct) is { } outcome)
            {
                outcome.Revoked = true;
            }
            else
            {
                db.LearnerOutcomes.Add(LearnerOutcomeRows.Revoked(revoked));
            }

            var applicationIds = await db.ApplicationOutcomes.Where(a => a.OutcomeId == revoked.OutcomeId).Select(a => a.ApplicationId).ToListAsync(ct);
            foreach (var application in await db.Applications.Where(a => applicationIds.Contains(a.Id)).ToListAsync(ct))
            {
                var items = ConversionJson.Read<List<ApplicationItem>>(application.Items);
                application.Items = ConversionJson.Write(items.Select(i => i.OutcomeIds.Contains(revoked.OutcomeId) ? i with { Flagged = true } : i).ToList());
                application.Version++;
            }
        });
}

internal static class LearnerOutcomeRows
{
    /// <summary>
    /// Adds the outcomes not held yet within the inbox's transaction, in bulk (<see cref="BulkInsert.InsertAllAsync"/>:
    /// on PostgreSQL at once, by COPY from <see cref="BulkInsert.CopyFrom"/> rows, else by one INSERT of column arrays), and
    /// fills in the facts of those whose revocation came first.
    /// </summary>
    public static async Task AddAsync(ConversionDb db, IReadOnlyList<OutcomesRecognised> events, CancellationToken ct)
    {
        var outcomes = events.SelectMany(e => e.Outcomes.Select(o => (Outcome: o, e.OccurredAt))).ToList();
        var ids = outcomes.Select(o => o.Outcome.OutcomeId).ToList();
        var known = (await db.LearnerOutcomes.Where(o => ids.Contains(o.OutcomeId)).Select(o => new { o.OutcomeId, o.Revoked }).ToListAsync(ct))
            .ToDictionary(o => o.OutcomeId, o => o.Revoked);
        var rows = new List<LearnerOutcome>();
        foreach (var (outcome, occurredAt) in outcomes)
        {
            if (known.TryGetValue(outcome.OutcomeId, out var revoked))
            {
                if (revoked)
                {
                    // Rare: the revocation overtook it. The row it left takes the facts it lacked, and stays revoked.
                    db.LearnerOutcomes.Update(Row(outcome, occurredAt, revoked: true));
                }

                continue;
            }

            known[outcome.OutcomeId] = false;
            rows.Add(Row(outcome, occurredAt, revoked: false));
        }

        await db.InsertAllAsync(rows, ct);
    }

    /// <summary>The row of an outcome whose revocation arrived before its recognition: what the revocation says, revoked.</summary>
    public static LearnerOutcome Revoked(OutcomeRevoked revoked) => new()
    {
        OutcomeId = revoked.OutcomeId,
        LearnerDocumentType = revoked.Learner.DocumentType,
        LearnerDocumentHash = revoked.Learner.DocumentHash,
        Kind = revoked.OutcomeKind,
        InstitutionCode = revoked.InstitutionCode,
        Credits = revoked.Credits,
        AchievedOn = DateOnly.FromDateTime(revoked.OccurredAt.UtcDateTime),
        Title = revoked.Title,
        Revoked = true,
    };

    private static LearnerOutcome Row(RecognisedOutcome o, DateTimeOffset at, bool revoked) => new()
    {
        OutcomeId = o.OutcomeId,
        LearnerDocumentType = o.Learner.DocumentType,
        LearnerDocumentHash = o.Learner.DocumentHash,
        Kind = o.OutcomeKind,
        StandardCode = o.Facts?.StandardCode,
        Level = o.Facts?.Level ?? 0,
        InstitutionCode = o.InstitutionCode,
        CourseCode = o.Facts?.CourseCode,
        GradeScheme = o.Facts?.GradeScheme,
        GradeValue = o.Facts?.GradeValue,
        Hours = o.Facts?.Hours ?? 0,
        Credits = o.Credits,
        AchievedOn = o.Facts?.AchievedOn ?? DateOnly.FromDateTime(at.UtcDateTime),
        Title = o.Title,
        Revoked = revoked,
    };
}
