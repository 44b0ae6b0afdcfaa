using CreditBank.Contracts.Events;
using CreditBank.Messaging;
using CreditBank.Persistence;
using CreditBank.PersonalData;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Validation;
using Microsoft.Extensions.Options;

namespace CreditBank.Recognition.Grpc;

/// <summary>Turns a validated submission into an outcome, its decision, its review task and its events — for one outcome or a batch.</summary>
/// <remarks>The database is leased on first use: preparing and deciding an outcome does not need it.</remarks>
internal sealed class OutcomeIntake(Lazy<RecognitionDb> database, DocumentProtector documents, CatalogueStore catalogue, IOptions<RecognitionOptions> options)
{
    private RecognitionDb Db => database.Value;

    public CatalogueSnapshot Catalogue => catalogue.Current;

    public CreditRules Rules { get; } = new() { HoursPerCredit = options.Value.HoursPerCredit };

    /// <summary>The outcome as it would be stored, already decided; nothing is added to the context.</summary>
    public Outcome Prepare(SubmitOutcomeValidation.Parsed parsed, Institution institution, DateTimeOffset now, string actor, Guid? batchId,
        out RecognitionDecision decision)
    {
        var learner = documents.Protect(parsed.Document);
        var snapshot = catalogue.Current;
        var outcome = new Outcome
        {
            Id = Guid.CreateVersion7(now),
            InstitutionCode = institution.Code,
            Kind = parsed.Kind,
            LearnerDocumentType = learner.Type,
            LearnerDocumentHash = learner.Hash,
            LearnerDocumentMasked = learner.Masked,
            LearnerDocumentSealed = learner.Sealed,
            LearnerName = parsed.LearnerName,
            WorkstationCode = snapshot.WorkstationFor(parsed.Document).Code,
            DuplicateKey = DuplicateKey.For(institution.Code, learner.Hash, parsed.Kind, parsed.Detail),
            AttachmentSha256 = parsed.AttachmentSha256,
            BatchId = batchId,
            Detail = parsed.Detail,
            SubmittedAt = now,
        };
        decision = RecognitionPolicy.Decide(outcome, institution, snapshot, Rules);
        outcome.Apply(decision, now, decision.Status == OutcomeStatus.PendingReview ? actor : Actor.System);
        return outcome;
    }

    /// <summary>
    /// A batch chunk's accepted outcomes and their review tasks, written in bulk in the caller's transaction, and the
    /// chunk's events, queued for the next <c>SaveChanges</c>.
    /// </summary>
    public async Task AddChunkAsync(Guid batchId, IReadOnlyList<(Outcome Outcome, RecognitionDecision Decision)> accepted, string actor,
        DateTimeOffset now, CancellationToken ct)
    {
        await StoreAsync(accepted.Select(a => (a.Outcome, a.Decision, now)).ToList(), ct);
        EnqueueChunk(batchId, accepted.Select(a => a.Outcome).ToList(), actor, now);
    }

    /// <summary>
    /// Outcomes and the review tasks of those that wait for a person, written in bulk in the caller's transaction
    /// (<see cref="BulkInsert.InsertAllAsync"/>: on PostgreSQL at once, without change tracking). Their events are the caller's.
    /// </summary>
    public async Task StoreAsync(IReadOnlyList<(Outcome Outcome, RecognitionDecision Decision, DateTimeOffset At)> decided, CancellationToken ct)
    {
        await Db.InsertAllAsync(decided.Select(d => d.Outcome).ToList(), ct);
        await Db.InsertAllAsync(decided.Select(d => ReviewTaskFor(d.Outcome, d.Decision, d.At)).OfType<ReviewTask>().ToList(), ct);
    }

    /// <summary>The review task of an outcome that waits for a person; null when it was decided at once.</summary>
    private static ReviewTask? ReviewTaskFor(Outcome outcome, RecognitionDecision decision, DateTimeOffset now) =>
        outcome.Status != OutcomeStatus.PendingReview
            ? null
            : new ReviewTask
            {
                OutcomeId = outcome.Id,
                WorkstationCode = outcome.WorkstationCode,
                QueuedReasonCode = decision.ReasonCode,
                QueuedAt = now,
                SuggestedUnitCode = decision.SuggestedUnit?.Code,
                SuggestedCredits = decision.SuggestedCredits,
            };

    /// <summary>One event for one decided outcome (the single-submission and review paths).</summary>
    public void EnqueueDecision(Outcome outcome, string actor, DateTimeOffset now)
    {
        switch (outcome.Status)
        {
            case OutcomeStatus.Recognised:
                Db.Enqueue(new OutcomeRecognised
                {
                    EventId = Guid.CreateVersion7(now),
                    OccurredAt = now,
                    Actor = actor,
                    OutcomeId = outcome.Id,
                    InstitutionCode = outcome.InstitutionCode,
                    Learner = Learner(outcome),
                    OutcomeKind = OutcomeMapping.KindName(outcome.Kind),
                    Title = outcome.Title,
                    Credits = outcome.Credits,
                    Facts = Facts(outcome),
                });
                break;
            case OutcomeStatus.Rejected:
                Db.Enqueue(new OutcomeRejected
                {
                    EventId = Guid.CreateVersion7(now),
                    OccurredAt = now,
                    Actor = actor,
                    OutcomeId = outcome.Id,
                    InstitutionCode = outcome.InstitutionCode,
                    LearnerDocumentHash = outcome.LearnerDocumentHash,
                    OutcomeKind = OutcomeMapping.KindName(outcome.Kind),
                    ReasonCode = outcome.StatusReasonCode,
                    Reason = outcome.StatusReason,
                });
                break;
        }
    }

    /// <summary>
    /// The events of single submissions written together (group commit): what they recognised in one
    /// <see cref="SubmittedOutcomesRecognised"/> per actor, a rejection in its own <see cref="OutcomeRejected"/> as when alone.
    /// </summary>
    public void EnqueueDecisions(IReadOnlyList<(Outcome Outcome, string Actor)> decided, DateTimeOffset now)
    {
        foreach (var byActor in decided.Where(d => d.Outcome.Status == OutcomeStatus.Recognised).GroupBy(d => d.Actor, StringComparer.Ordinal))
        {
            Db.Enqueue(new SubmittedOutcomesRecognised
            {
                EventId = Guid.CreateVersion7(now), OccurredAt = now, Actor = byActor.Key, Outcomes = byActor.Select(d => Recognised(d.Outcome)).ToList(),
            });
        }

        foreach (var (outcome, actor) in decided.Where(d => d.Outcome.Status != OutcomeStatus.Recognised))
        {
            EnqueueDecision(outcome, actor, now);
        }
    }

    /// <summary>One event per chunk of a batch for what it recognised, and one for what it rejected.</summary>
    private void EnqueueChunk(Guid batchId, IReadOnlyList<Outcome> outcomes, string actor, DateTimeOffset now)
    {
        var recognised = outcomes.Where(o => o.Status == OutcomeStatus.Recognised).Select(Recognised).ToList();
        if (recognised.Count > 0)
        {
            Db.Enqueue(new OutcomesRecognised { EventId = Guid.CreateVersion7(now), OccurredAt = now, Actor = actor, BatchId = batchId, Outcomes = recognised });
        }

        var rejected = outcomes.Where(o => o.Status == OutcomeStatus.Rejected)
            .Select(o => new RejectedOutcome(o.Id, o.InstitutionCode, o.LearnerDocumentHash, OutcomeMapping.KindName(o.Kind), o.StatusReasonCode, o.StatusReason))
            .ToList();
        if (rejected.Count > 0)
        {
            Db.Enqueue(new OutcomesRejected { EventId = Guid.CreateVersion7(now), OccurredAt = now, Actor = actor, BatchId = batchId, Outcomes = rejected });
        }
    }

    private static RecognisedOutcome Recognised(Outcome o) =>
        new(o.Id, o.InstitutionCode, Learner(o), OutcomeMapping.KindName(o.Kind), o.Title, o.Credits, Facts(o));

    /// <summary>What conversion rules look at, as the events carry it.</summary>
    private static OutcomeFacts Facts(Outcome outcome) => new(
        outcome.UnitCode,
        outcome.UnitCode is { } unit && unit.Length > 2 && unit[^2] == '-' && char.IsAsciiDigit(unit[^1]) ? unit[..^2] : outcome.UnitCode,
        (int?)outcome.SkillLevel ?? outcome.DetailLevel ?? 0,
        outcome.CourseCode,
        outcome.GradeSchemeCode ?? (outcome.GradeScheme is { } scheme ? SchemeName(scheme) : null),
        outcome.GradeValue,
        outcome.CourseHours ?? outcome.DetailHours ?? 0,
        outcome.CertificateIssueDate ?? DateOnly.FromDateTime(outcome.SubmittedAt.UtcDateTime));

    private static string SchemeName(GradingScheme scheme) => scheme switch
    {
        GradingScheme.Percentage => "PERCENTAGE",
        GradingScheme.FiveLevel => "FIVE_LEVEL",
        GradingScheme.PassFail => "PASS_FAIL",
        _ => scheme.ToString().ToUpperInvariant(),
    };

    private static LearnerIdentity Learner(Outcome outcome) => new(
        outcome.LearnerDocumentType switch
        {
            DocumentType.ResidentIdCard => "RESIDENT_ID_CARD",
            DocumentType.Passport => "PASSPORT",
            _ => "HMT_RESIDENCE_PERMIT",
        },
        outcome.LearnerDocumentHash, outcome.LearnerDocumentMasked, outcome.LearnerDocumentSealed, outcome.LearnerName);
}
