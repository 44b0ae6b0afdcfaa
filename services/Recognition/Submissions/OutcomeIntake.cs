using System.Text.Json.Nodes;
using CreditBank.Contracts.Canonical;
using CreditBank.Contracts.Events;
using CreditBank.Contracts.Learning;
using CreditBank.Messaging;
using CreditBank.Persistence;
using CreditBank.PersonalData;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Validation;
using Microsoft.Extensions.Options;

namespace CreditBank.Recognition.Submissions;

/// <summary>Turns a validated submission into an outcome, its decision, its review task and its events — for one outcome or a batch.</summary>
internal sealed class OutcomeIntake(RecognitionDb db, DocumentProtector documents, CatalogueStore catalogue, IOptions<RecognitionOptions> options)
{
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
        await AnnounceDecisionsAsync(accepted.Select(a => (a.Outcome, actor)).ToList(), now, ct, batchId);
    }

    /// <summary>
    /// Outcomes and the review tasks of those that wait for a person, written in bulk in the caller's transaction
    /// (<see cref="BulkInsert.InsertAllAsync"/>: on PostgreSQL at once, without change tracking). Their events are the caller's.
    /// </summary>
    public async Task StoreAsync(IReadOnlyList<(Outcome Outcome, RecognitionDecision Decision, DateTimeOffset At)> decided, CancellationToken ct)
    {
        await db.InsertAllAsync(decided.Select(d => d.Outcome).ToList(), ct);
        await db.InsertAllAsync(decided.Select(d => ReviewTaskFor(d.Outcome, d.Decision, d.At)).OfType<ReviewTask>().ToList(), ct);
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

    /// <summary>
    /// The events of outcomes decided in one transaction — a lone submission, a reviewer's decision, a group of single
    /// submissions, a batch chunk: what it recognised in one <see cref="OutcomesRecognised"/> per actor, what it rejected
    /// in one <see cref="OutcomesRejected"/> per actor. Outcomes waiting for review are announced when they are decided.
    /// </summary>
    /// <remarks>
    /// The recognised ones are also written to the outcome change feed (<see cref="OutcomeChange"/>), in bulk, in the
    /// caller's transaction (<see cref="BulkInsert.InsertAllAsync"/>), so that the feed holds exactly what was announced.
    /// </remarks>
    public async Task AnnounceDecisionsAsync(IReadOnlyList<(Outcome Outcome, string Actor)> decided, DateTimeOffset now, CancellationToken ct, Guid? batchId = null) =>
        await db.InsertAllAsync(EnqueueDecisions(decided, now, batchId), ct);

    /// <summary>The events of one decided outcome (a reviewer's decision), and its feed entry, for the next <c>SaveChanges</c>.</summary>
    public void EnqueueDecision(Outcome outcome, string actor, DateTimeOffset now) =>
        db.OutcomeChanges.AddRange(EnqueueDecisions([(outcome, actor)], now, batchId: null));

    /// <summary>Queues the events and returns the feed entries of what was recognised, for the caller to write.</summary>
    private List<OutcomeChange> EnqueueDecisions(IReadOnlyList<(Outcome Outcome, string Actor)> decided, DateTimeOffset now, Guid? batchId)
    {
        var changes = new List<OutcomeChange>();
        foreach (var byActor in decided.GroupBy(d => d.Actor, StringComparer.Ordinal))
        {
            var recognised = byActor.Where(d => d.Outcome.Status == OutcomeStatus.Recognised).Select(d => Recognised(d.Outcome)).ToList();
            if (recognised.Count > 0)
            {
                db.Enqueue(byActor.Key, now, new OutcomesRecognised { BatchId = batchId, Outcomes = recognised });
                changes.AddRange(recognised.Select(r => RecognisedChange(r, now, byActor.Key, batchId)));
            }

            var rejected = byActor.Where(d => d.Outcome.Status == OutcomeStatus.Rejected).Select(d => Rejected(d.Outcome)).ToList();
            if (rejected.Count > 0)
            {
                db.Enqueue(byActor.Key, now, new OutcomesRejected { BatchId = batchId, Outcomes = rejected });
            }
        }

        return changes;
    }

    /// <summary>
    /// The event of a revoked outcome, with what a consumer needs to act on it before the outcome's own event arrives;
    /// and, if it had been recognised (banked), its feed entry.
    /// </summary>
    public void EnqueueRevocation(Outcome outcome, bool wasRecognised, string actor, DateTimeOffset now)
    {
        var revoked = new OutcomeRevoked
        {
            OutcomeId = outcome.Id,
            InstitutionCode = outcome.InstitutionCode,
            Learner = Learner(outcome),
            OutcomeKind = OutcomeKinds.Name(outcome.Kind),
            Title = outcome.Title,
            WasRecognised = wasRecognised,
            Credits = wasRecognised ? outcome.Credits : 0m,
            ReasonCode = outcome.StatusReasonCode,
            Reason = outcome.StatusReason,
        };
        db.Enqueue(actor, now, revoked);
        if (wasRecognised)
        {
            db.OutcomeChanges.Add(new OutcomeChange
            {
                OutcomeId = revoked.OutcomeId,
                Change = OutcomeChangeKind.Revoked,
                OccurredAt = now,
                Actor = actor,
                InstitutionCode = revoked.InstitutionCode,
                LearnerDocumentType = revoked.Learner.DocumentType,
                LearnerDocumentHash = revoked.Learner.DocumentHash,
                Kind = outcome.Kind,
                Title = revoked.Title,
                Credits = revoked.Credits,
                AchievedOn = DateOnly.FromDateTime(now.UtcDateTime),
                ReasonCode = revoked.ReasonCode,
                BatchId = outcome.BatchId,
            });
        }
    }

    /// <summary>The feed entry of a recognised outcome: what its event carries of it, minus the learner's masked, sealed and named forms.</summary>
    private static OutcomeChange RecognisedChange(RecognisedOutcome o, DateTimeOffset now, string actor, Guid? batchId) => new()
    {
        OutcomeId = o.OutcomeId,
        Change = OutcomeChangeKind.Recognised,
        OccurredAt = now,
        Actor = actor,
        InstitutionCode = o.InstitutionCode,
        LearnerDocumentType = o.Learner.DocumentType,
        LearnerDocumentHash = o.Learner.DocumentHash,
        Kind = OutcomeKinds.Parse(o.OutcomeKind),
        Title = o.Title,
        Credits = o.Credits,
        UnitCode = o.Facts?.UnitCode,
        StandardCode = o.Facts?.StandardCode,
        Level = o.Facts?.Level ?? 0,
        CourseCode = o.Facts?.CourseCode,
        GradeScheme = o.Facts?.GradeScheme,
        GradeValue = o.Facts?.GradeValue,
        Hours = o.Facts?.Hours ?? 0,
        AchievedOn = o.Facts?.AchievedOn ?? DateOnly.FromDateTime(now.UtcDateTime),
        BatchId = batchId,
    };

    private static RejectedOutcome Rejected(Outcome o) =>
        new(o.Id, o.InstitutionCode, o.LearnerDocumentHash, OutcomeKinds.Name(o.Kind), o.StatusReasonCode, o.StatusReason);

    private RecognisedOutcome Recognised(Outcome o) =>
        new(o.Id, o.InstitutionCode, Learner(o), OutcomeKinds.Name(o.Kind), o.Title, o.Credits, Facts(o, o.UnitCode is { } code ? catalogue.Current.Unit(code) : null));

    /// <summary>
    /// What conversion rules look at, as the events carry it, and the unit version the decision used with the SHA-256 of
    /// its canonical definition (the credentials service signs the decision citing them).
    /// </summary>
    private static OutcomeFacts Facts(Outcome outcome, AccreditationUnit? used) => new(
        outcome.UnitCode,
        outcome.UnitCode is { } unit && unit.Length > 2 && unit[^2] == '-' && char.IsAsciiDigit(unit[^1]) ? unit[..^2] : outcome.UnitCode,
        (int?)outcome.SkillLevel ?? outcome.DetailLevel ?? 0,
        outcome.CourseCode,
        outcome.GradeSchemeCode ?? (outcome.GradeScheme is { } scheme ? SchemeName(scheme) : null),
        outcome.GradeValue,
        outcome.CourseHours ?? outcome.DetailHours ?? 0,
        outcome.CertificateIssueDate ?? DateOnly.FromDateTime(outcome.SubmittedAt.UtcDateTime),
        used?.FrameworkLevel,
        used?.Version,
        used is null ? null : CanonicalJson.Sha256Hex(UnitDefinition(used)));

    /// <summary>A unit version's definition as its hash covers it: every field a decision depends on, and the version.</summary>
    private static JsonObject UnitDefinition(AccreditationUnit unit) => new()
    {
        ["code"] = unit.Code,
        ["kind"] = OutcomeKinds.Name(unit.Kind),
        ["name"] = unit.Name,
        ["level"] = unit.Level,
        ["frameworkLevel"] = unit.FrameworkLevel,
        ["credits"] = unit.Credits,
        ["minCredits"] = unit.MinCredits,
        ["maxCredits"] = unit.MaxCredits,
        ["criteria"] = unit.Criteria,
        ["version"] = unit.Version,
    };

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
