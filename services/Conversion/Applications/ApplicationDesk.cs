using CreditBank.Contracts.Canonical;
using CreditBank.Contracts.Events;
using CreditBank.Contracts.Learning;
using CreditBank.Conversion.Data;
using CreditBank.Conversion.Domain;
using CreditBank.Grpc;
using CreditBank.Messaging;
using CreditBank.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Conversion.Applications;

/// <summary>
/// Conversion applications (转换申请): a learner's outcomes evaluated against a programme's rules in force, the
/// application stored once per request_id, and the institution's decisions written with <see cref="CreditsConverted"/>
/// when the last item is decided. Who may do what is the caller's concern; what is seen is what the rules say.
/// </summary>
internal sealed partial class ApplicationDesk(ConversionDb db, RuleBookCache rules, TimeProvider time, ILogger<ApplicationDesk> logger)
{
    public async Task<Programme> ProgrammeAsync(string code, CancellationToken ct)
    {
        var record = await db.Programmes.AsNoTracking().FirstOrDefaultAsync(p => p.Code == code, ct);
        return record is null
            ? throw Problems.NotFound("PROGRAMME_NOT_FOUND", $"No programme (专业) '{CreditBank.Grpc.Validation.Text.Echo(code)}' exists; ListProgrammes shows them.")
            : ConversionJson.Read<Programme>(record.Definition);
    }

    public async Task<IReadOnlyList<Programme>> ProgrammesAsync(CancellationToken ct) =>
        (await db.Programmes.AsNoTracking().OrderBy(p => p.Code).ToListAsync(ct)).Select(r => ConversionJson.Read<Programme>(r.Definition)).ToList();

    /// <summary>What the learner's outcomes convert into today, with the outcomes it looked at.</summary>
    public async Task<(Evaluation Evaluation, List<BankedOutcome> Outcomes)> EvaluateAsync(string learner, Programme programme, CancellationToken ct)
    {
        var outcomes = (await db.LearnerOutcomes.AsNoTracking().Where(o => o.LearnerDocumentHash == learner).ToListAsync(ct))
            .Select(ConversionJson.Outcome).ToList();
        var earlier = (await db.Applications.AsNoTracking()
                .Where(a => a.LearnerDocumentHash == learner && a.ProgrammeCode == programme.Code)
                .Select(a => a.Items).ToListAsync(ct))
            .SelectMany(ConversionJson.Read<List<ApplicationItem>>)
            .Where(i => i.Decision == ItemDecision.Accepted)
            .ToList();
        var request = new EvaluationRequest
        {
            Programme = programme,
            Outcomes = outcomes,
            On = BeijingTime.Today(time.GetUtcNow()),
            AlreadyUsed = earlier.SelectMany(i => i.OutcomeIds).ToHashSet(),
            AlreadyExempted = earlier.SelectMany(i => i.CourseCodes.Select(c => new ExemptedCourse(c, i.Credits / i.CourseCodes.Count, i.CertificateOutcomeId))).ToList(),
        };
        return (Evaluator.Evaluate(request, await rules.GetAsync(ct)), outcomes);
    }

    /// <summary>The application a request_id made before, or null when the request_id is new to this learner.</summary>
    public Task<ApplicationRecord?> FirstAsync(string learner, string requestId, CancellationToken ct) =>
        db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.LearnerDocumentHash == learner && a.RequestId == requestId, ct);

    /// <summary>Applies for what converts today; a concurrent retry of the same request_id gets the application it made.</summary>
    public async Task<ApplicationRecord> ApplyAsync(string learner, string requestId, Programme programme, string actor, CancellationToken ct)
    {
        var (evaluation, _) = await EvaluateAsync(learner, programme, ct);
        if (evaluation.Exemptions.Count == 0)
        {
            throw Problems.FailedPrecondition("NOTHING_TO_CONVERT",
                $"None of your outcomes converts into {programme.Code} now; EvaluateConversion explains why for each.");
        }

        var now = time.GetUtcNow();
        var items = evaluation.Exemptions.Select((e, i) => ApplicationItem.From(i + 1, e)).ToList();
        var application = new ApplicationRecord
        {
            Id = Guid.CreateVersion7(now),
            RequestId = requestId,
            LearnerDocumentHash = learner,
            AppliedBy = actor,
            ProgrammeCode = programme.Code,
            InstitutionCode = programme.InstitutionCode,
            Status = ApplicationStatus.Submitted,
            Items = ConversionJson.Write(items),
            AppliedAt = now,
        };
        db.Applications.Add(application);
        db.ApplicationOutcomes.AddRange(items.SelectMany(i => i.OutcomeIds).Distinct().Select(o => new ApplicationOutcome { OutcomeId = o, ApplicationId = application.Id }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            return await db.Applications.AsNoTracking().FirstAsync(a => a.LearnerDocumentHash == learner && a.RequestId == requestId, ct);
        }

        LogApplied(application.Id, programme.Code, items.Count);
        return application;
    }

    public Task<ApplicationRecord?> FindAsync(Guid id, bool tracked, CancellationToken ct) =>
        (tracked ? db.Applications : db.Applications.AsNoTracking()).FirstOrDefaultAsync(a => a.Id == id, ct);

    /// <summary>A learner's applications, newest first.</summary>
    public Task<List<ApplicationRecord>> OfLearnerAsync(string learnerDocumentHash, int skip, int take, CancellationToken ct) =>
        db.Applications.AsNoTracking().Where(a => a.LearnerDocumentHash == learnerDocumentHash)
            .OrderByDescending(a => a.AppliedAt).ThenBy(a => a.Id).Skip(skip).Take(take).ToListAsync(ct);

    /// <summary>
    /// The institution's verdicts on a tracked application (<see cref="Application.Decide"/>); when it is then decided,
    /// its accepted items leave as <see cref="CreditsConverted"/> in the same transaction.
    /// </summary>
    public async Task<IReadOnlyList<VerdictProblem>> DecideAsync(ApplicationRecord record, IReadOnlyList<ItemVerdict> verdicts, string actor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var application = new Application(ConversionJson.Read<List<ApplicationItem>>(record.Items));
        var problems = application.Decide(verdicts, actor, now);
        if (problems.Count > 0)
        {
            return problems;
        }

        record.Items = ConversionJson.Write(application.Items);
        record.Version++;
        if (application.IsDecided)
        {
            record.Status = ApplicationStatus.Decided;
            if (application.Accepted is { Count: > 0 } accepted)
            {
                db.Enqueue(actor, now, await ConvertedAsync(record, accepted, ct));
            }
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Problems.FailedPrecondition("CONCURRENT_DECISION", "Someone decided items of this application at the same moment; read it again and retry.");
        }

        return problems;
    }

    private async Task<CreditsConverted> ConvertedAsync(ApplicationRecord record, IReadOnlyList<ApplicationItem> accepted, CancellationToken ct)
    {
        var outcomeIds = accepted.SelectMany(i => i.OutcomeIds).Distinct().ToList();
        var outcomes = await db.LearnerOutcomes.AsNoTracking().Where(o => outcomeIds.Contains(o.OutcomeId))
            .ToDictionaryAsync(o => o.OutcomeId, o => (o.Kind, o.LearnerDocumentType), ct);
        // Each item cites the hash of the rule version it was decided under (the credentials service signs the decision).
        var ruleIds = accepted.Select(i => i.RuleId).Distinct().ToList();
        var definitions = (await db.RuleVersions.AsNoTracking().Where(r => ruleIds.Contains(r.RuleId)).ToListAsync(ct))
            .ToDictionary(r => (r.RuleId, r.Version), r => CanonicalJson.Sha256Hex(r.Definition));
        return new CreditsConverted
        {
            ApplicationId = record.Id,
            LearnerDocumentType = outcomes.Values.First().LearnerDocumentType,
            LearnerDocumentHash = record.LearnerDocumentHash,
            ProgrammeCode = record.ProgrammeCode,
            InstitutionCode = record.InstitutionCode,
            Items = accepted.Select(i => new ConvertedItem(i.Number, i.RuleId, i.RuleVersion,
                i.OutcomeIds.Select(id => new ConvertedOutcome(id, outcomes[id].Kind)).ToList(), i.CourseCodes, i.Credits,
                definitions.GetValueOrDefault((i.RuleId, i.RuleVersion)))).ToList(),
        };
    }

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Conversion application {ApplicationId} to {Programme} with {Items} items")]
    private partial void LogApplied(Guid applicationId, string programme, int items);
}
