using CreditBank.Contracts.Events;
using CreditBank.Conversion.Data;
using CreditBank.Conversion.Domain;
using CreditBank.Messaging;
using CreditBank.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Conversion.Events;

/// <summary>
/// Keeps conversion's copy of a learner's recognised outcomes: one row per outcome, from recognition's events. The
/// outcomes that arrive together are added in one transaction (<see cref="EventBatchConsumerDefinition{TConsumer}"/>).
/// </summary>
public sealed class OutcomeRecognisedConsumer(ConversionDb db) : IConsumer<Batch<OutcomeRecognised>>
{
    public Task Consume(ConsumeContext<Batch<OutcomeRecognised>> context) =>
        db.ProcessOnceAsync(context, nameof(OutcomeRecognisedConsumer), (events, ct) => LearnerOutcomeRows.AddAsync(db,
            events.Select(e => e.Message).Select(m => (m.OutcomeId, m.InstitutionCode, m.Learner.DocumentHash, m.OutcomeKind, m.Title, m.Credits, m.Facts, m.OccurredAt)).ToList(),
            ct));
}

/// <summary>The same for the outcomes recognition wrote together from single submissions: the events that arrive together in one transaction.</summary>
public sealed class SubmittedOutcomesRecognisedConsumer(ConversionDb db) : IConsumer<Batch<SubmittedOutcomesRecognised>>
{
    public Task Consume(ConsumeContext<Batch<SubmittedOutcomesRecognised>> context) =>
        db.ProcessOnceAsync(context, nameof(SubmittedOutcomesRecognisedConsumer), (events, ct) => LearnerOutcomeRows.AddAsync(db,
            events.Select(e => e.Message).SelectMany(m => m.Outcomes.Select(o => LearnerOutcomeRows.Of(o, m.OccurredAt))).ToList(), ct));
}

/// <summary>The same for a batch chunk: one transaction, one lookup.</summary>
public sealed class OutcomesRecognisedConsumer(ConversionDb db) : IConsumer<OutcomesRecognised>
{
    public Task Consume(ConsumeContext<OutcomesRecognised> context) =>
        db.ProcessOnceAsync(context, nameof(OutcomesRecognisedConsumer), ct => LearnerOutcomeRows.AddAsync(db,
            context.Message.Outcomes.Select(o => LearnerOutcomeRows.Of(o, context.Message.OccurredAt)).ToList(), ct));
}

/// <summary>A revoked outcome counts for nothing from now on, and flags the conversions that used it.</summary>
public sealed class OutcomeRevokedConsumer(ConversionDb db) : IConsumer<OutcomeRevoked>
{
    public Task Consume(ConsumeContext<OutcomeRevoked> context) =>
        db.ProcessOnceAsync(context, nameof(OutcomeRevokedConsumer), async ct =>
        {
            var id = context.Message.OutcomeId;
            if (await db.LearnerOutcomes.FirstOrDefaultAsync(o => o.OutcomeId == id, ct) is { } outcome)
            {
                outcome.Revoked = true;
            }

            var applicationIds = await db.ApplicationOutcomes.Where(a => a.OutcomeId == id).Select(a => a.ApplicationId).ToListAsync(ct);
            foreach (var application in await db.Applications.Where(a => applicationIds.Contains(a.Id)).ToListAsync(ct))
            {
                var items = ConversionJson.Read<List<ApplicationItem>>(application.Items);
                application.Items = ConversionJson.Write(items.Select(i => i.OutcomeIds.Contains(id) ? i with { Flagged = true } : i).ToList());
                application.Version++;
            }
        });
}

internal static class LearnerOutcomeRows
{
    /// <summary>What a row is made of, for an outcome carried inside a group or chunk event.</summary>
    public static (Guid Id, string Institution, string Learner, string Kind, string Title, decimal Credits, OutcomeFacts? Facts, DateTimeOffset At) Of(
        RecognisedOutcome outcome, DateTimeOffset at) =>
        (outcome.OutcomeId, outcome.InstitutionCode, outcome.Learner.DocumentHash, outcome.OutcomeKind, outcome.Title, outcome.Credits, outcome.Facts, at);

    /// <summary>
    /// Adds the outcomes not held yet within the inbox's transaction, in bulk (<see cref="BulkInsert.InsertAllAsync"/>:
    /// on PostgreSQL at once, by COPY from <see cref="BulkInsert.CopyFrom"/> rows, else by one INSERT of column arrays).
    /// </summary>
    public static async Task AddAsync(ConversionDb db,
        IReadOnlyList<(Guid Id, string Institution, string Learner, string Kind, string Title, decimal Credits, OutcomeFacts? Facts, DateTimeOffset At)> outcomes,
        CancellationToken ct)
    {
        var ids = outcomes.Select(o => o.Id).ToList();
        var known = (await db.LearnerOutcomes.Where(o => ids.Contains(o.OutcomeId)).Select(o => o.OutcomeId).ToListAsync(ct)).ToHashSet();
        var rows = outcomes.Where(o => known.Add(o.Id)).Select(o => new LearnerOutcome
        {
            OutcomeId = o.Id,
            LearnerDocumentHash = o.Learner,
            Kind = o.Kind,
            StandardCode = o.Facts?.StandardCode,
            Level = o.Facts?.Level ?? 0,
            InstitutionCode = o.Institution,
            CourseCode = o.Facts?.CourseCode,
            GradeScheme = o.Facts?.GradeScheme,
            GradeValue = o.Facts?.GradeValue,
            Hours = o.Facts?.Hours ?? 0,
            Credits = o.Credits,
            AchievedOn = o.Facts?.AchievedOn ?? DateOnly.FromDateTime(o.At.UtcDateTime),
            Title = o.Title,
        }).ToList();
        await db.InsertAllAsync(rows, ct);
    }
}
