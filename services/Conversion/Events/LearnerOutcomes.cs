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
    /// Adds the outcomes not held yet within the inbox's transaction, in bulk, and fills in the facts of those whose
    /// revocation came first (<see cref="MergeAsync"/>).
    /// </summary>
    public static Task AddAsync(ConversionDb db, IReadOnlyList<OutcomesRecognised> events, CancellationToken ct) =>
        MergeAsync(db, [.. events.SelectMany(e => e.Outcomes.Select(o => OutcomeWrite.Recognised(Row(o, e.OccurredAt, revoked: false))))], ct);

    /// <summary>
    /// Writes what is known of some outcomes to the copy, whatever order their recognitions and revocations arrive in,
    /// and however often: the one write of the event consumers and the feed follower (<c>OutcomeFeed/</c>). Rows not held
    /// yet go in bulk (<see cref="BulkInsert.InsertAllAsync"/>: on PostgreSQL by COPY from <see cref="BulkInsert.CopyFrom"/>
    /// rows, else by one INSERT of column arrays); held rows are revoked in one UPDATE; a row whose revocation came
    /// first takes the facts it lacked and stays revoked. Nothing ever un-revokes a row.
    /// </summary>
    /// <remarks>
    /// Two writers adding the same outcome at once (an event and the feed) meet on its key: the loser's transaction
    /// fails with a unique violation and runs again, and then finds the row.
    /// </remarks>
    public static async Task MergeAsync(ConversionDb db, IReadOnlyList<OutcomeWrite> writes, CancellationToken ct)
    {
        // One outcome may appear more than once (recognised, then revoked, in one feed page): the facts written last,
        // revoked if any of them revokes it.
        var byOutcome = new Dictionary<Guid, (LearnerOutcome? Facts, bool Corrected, LearnerOutcome? Revocation)>();
        foreach (var write in writes)
        {
            var id = (write.Facts ?? write.Revocation)!.OutcomeId;
            byOutcome.TryGetValue(id, out var merged);
            byOutcome[id] = write.Facts is { } facts
                ? (facts, merged.Corrected || write.IsCorrection, merged.Revocation)
                : (merged.Facts, merged.Corrected, merged.Revocation ?? write.Revocation);
        }

        var ids = byOutcome.Keys.ToList();
        var known = (await db.LearnerOutcomes.Where(o => ids.Contains(o.OutcomeId)).Select(o => new { o.OutcomeId, o.Revoked }).ToListAsync(ct))
            .ToDictionary(o => o.OutcomeId, o => o.Revoked);
        var rows = new List<LearnerOutcome>();
        var toRevoke = new List<Guid>();
        foreach (var (id, (facts, corrected, revocation)) in byOutcome)
        {
            var revoke = revocation is not null;
            if (!known.TryGetValue(id, out var revoked))
            {
                rows.Add(facts is null ? revocation! : With(facts, revoke));
                continue;
            }

            if (facts is not null && (revoked || corrected))
            {
                // Rare: the revocation overtook it (the row it left takes the facts it lacked, and stays revoked), or
                // its facts were corrected.
                db.LearnerOutcomes.Update(With(facts, revoked || revoke));
            }
            else if (revoke && !revoked)
            {
                toRevoke.Add(id);
            }
        }

        if (toRevoke.Count > 0)
        {
            await db.LearnerOutcomes.Where(o => toRevoke.Contains(o.OutcomeId)).ExecuteUpdateAsync(s => s.SetProperty(o => o.Revoked, true), ct);
        }

        await db.InsertAllAsync(rows, ct);
    }

    private static LearnerOutcome With(LearnerOutcome row, bool revoked)
    {
        if (revoked)
        {
            row.Revoked = true;
        }

        return row;
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

    public static LearnerOutcome Row(RecognisedOutcome o, DateTimeOffset at, bool revoked) => new()
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

/// <summary>One thing learnt about an outcome: its facts (recognised, or corrected), or its revocation.</summary>
internal sealed record OutcomeWrite(LearnerOutcome? Facts, LearnerOutcome? Revocation, bool IsCorrection = false)
{
    public static OutcomeWrite Recognised(LearnerOutcome row) => new(row, null);

    public static OutcomeWrite Corrected(LearnerOutcome row) => new(row, null, IsCorrection: true);

    /// <summary>What the revocation says of the outcome, revoked: the row written if its recognition has not arrived.</summary>
    public static OutcomeWrite Revoked(LearnerOutcome row) => new(null, row);
}
