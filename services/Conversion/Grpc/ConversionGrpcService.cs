using CreditBank.Contracts.Events;
using CreditBank.Conversion.Data;
using CreditBank.Conversion.Domain;
using CreditBank.Conversion.Validation;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using CreditBank.Messaging;
using CreditBank.Persistence;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using V1 = CreditBank.Contracts.Conversion.V1;

namespace CreditBank.Conversion.Grpc;

/// <summary>creditbank.conversion.v1.ConversionService: evaluation, applications and decisions, rules in and out.</summary>
internal sealed partial class ConversionGrpcService(ConversionDb db, RuleBookCache rules, TimeProvider time, ILogger<ConversionGrpcService> logger)
    : V1.ConversionService.ConversionServiceBase
{
    [Authorize(Policy = Policies.ConversionsRead)]
    public override async Task<V1.ListProgrammesResponse> ListProgrammes(V1.ListProgrammesRequest request, ServerCallContext context)
    {
        var records = await db.Programmes.AsNoTracking().OrderBy(p => p.Code).ToListAsync(context.CancellationToken);
        return new V1.ListProgrammesResponse { Programmes = { records.Select(r => ToContract(ConversionJson.Read<Programme>(r.Definition))) } };
    }

    [Authorize]
    public override async Task<V1.ImportRulesResponse> ImportRules(V1.ImportRulesRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var ct = context.CancellationToken;
        var (code, format, content) = ConversionValidation.Import(request);
        var programme = await ProgrammeAsync(code, ct);
        MayManage(caller, programme);
        var import = RuleFiles.Read(content, format, given => given == programme.Code ? programme : null);
        ConversionValidation.RulesAreText(import.Rules);
        var response = new V1.ImportRulesResponse
        {
            DryRun = request.DryRun,
            Problems = { import.Problems.Select(p => new V1.RuleLineProblem { Line = p.Line, Field = p.Field, Reason = p.Reason, Description = p.Description }) },
        };
        var existing = await db.RuleVersions.Where(r => r.ProgrammeCode == programme.Code).ToListAsync(ct);
        var now = time.GetUtcNow();
        foreach (var rule in import.Rules.Where(r => r.ProgrammeCode == programme.Code))
        {
            var versions = existing.Where(r => r.RuleId == rule.RuleId).OrderBy(r => r.Version).ToList();
            var current = versions.LastOrDefault();
            var definition = ConversionJson.Write(rule with { Version = 0 });
            if (current is not null && ConversionJson.Write(ConversionJson.Rule(current) with { Version = 0 }) == definition)
            {
                response.Rules.Add(new V1.ImportedRule { RuleId = rule.RuleId, Version = current.Version, Changed = false });
                continue;
            }

            var version = (current?.Version ?? 0) + 1;
            response.Rules.Add(new V1.ImportedRule { RuleId = rule.RuleId, Version = version, Changed = true });
            if (request.DryRun)
            {
                continue;
            }

            // A new version takes over from today at the earliest (the past stays as it was decided) and closes the one
            // before it; decisions keep citing the version they used.
            var today = Beijing(now);
            var from = current is not null && rule.EffectiveFrom < today ? today : rule.EffectiveFrom;
            if (current is not null && (current.EffectiveTo is null || current.EffectiveTo > from))
            {
                current.EffectiveTo = from;
            }

            var record = new RuleVersionRecord
            {
                RuleId = rule.RuleId,
                Version = version,
                ProgrammeCode = programme.Code,
                Definition = ConversionJson.Write(rule with { Version = version, EffectiveFrom = from }),
                EffectiveFrom = from,
                EffectiveTo = rule.EffectiveTo,
                CreatedBy = caller.Actor,
                CreatedAt = now,
            };
            db.RuleVersions.Add(record);
            existing.Add(record);
        }

        if (!request.DryRun)
        {
            await db.SaveChangesAsync(ct);
            rules.Invalidate();
            LogImported(programme.Code, response.Rules.Count(r => r.Changed), response.Problems.Count, caller.Actor);
        }

        return response;
    }

    /// <remarks>The programme's institution or an administrator, as for import: to anyone else the rules are not shown.</remarks>
    [Authorize]
    public override async Task<V1.ExportRulesResponse> ExportRules(V1.ExportRulesRequest request, ServerCallContext context)
    {
        var (code, format) = ConversionValidation.Export(request);
        var programme = await ProgrammeAsync(code, context.CancellationToken);
        MayManage(Caller.From(context), programme);
        var today = Beijing(time.GetUtcNow());
        var records = await db.RuleVersions.AsNoTracking().Where(r => r.ProgrammeCode == programme.Code).ToListAsync(context.CancellationToken);
        var inForce = records.Select(ConversionJson.Rule).Where(r => r.IsEffectiveOn(today)).OrderBy(r => r.RuleId, StringComparer.Ordinal);
        return new V1.ExportRulesResponse
        {
            Content = RuleFiles.Write(inForce, format),
        };
    }

    [Authorize(Policy = Scopes.ConversionsApply)]
    public override async Task<V1.EvaluateConversionResponse> EvaluateConversion(V1.EvaluateConversionRequest request, ServerCallContext context)
    {
        var learner = LearnerOf(Caller.From(context));
        var ct = context.CancellationToken;
        var programme = await ProgrammeAsync(ConversionValidation.Evaluate(request), ct);
        var (evaluation, outcomes) = await EvaluateAsync(learner, programme, ct);
        var titles = outcomes.ToDictionary(o => o.OutcomeId, o => o.Title);
        return new V1.EvaluateConversionResponse
        {
            ProgrammeCode = programme.Code,
            TotalCredits = (double)evaluation.TotalCredits,
            Exemptions = { evaluation.Exemptions.Select(e => ToContract(ApplicationItem.From(0, e))) },
            Verdicts =
            {
                evaluation.Verdicts.Select(v => new V1.OutcomeVerdict
                {
                    OutcomeId = v.OutcomeId.ToString(),
                    Title = titles.GetValueOrDefault(v.OutcomeId, string.Empty),
                    Used = v.Used,
                    Refusal = v.Refusal is { } r ? RefusalCode(r) : string.Empty,
                    Explanation = v.Explanation,
                    RuleId = v.RuleId ?? string.Empty,
                    RuleVersion = v.RuleVersion ?? 0,
                    Credits = (double)v.Credits,
                }),
            },
        };
    }

    [Authorize(Policy = Scopes.ConversionsApply)]
    public override async Task<V1.ApplyForConversionResponse> ApplyForConversion(V1.ApplyForConversionRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var learner = LearnerOf(caller);
        var (requestId, programmeCode) = ConversionValidation.Apply(request);
        var ct = context.CancellationToken;
        if (await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.LearnerDocumentHash == learner && a.RequestId == requestId, ct) is { } first)
        {
            return first.ProgrammeCode == programmeCode
                ? new V1.ApplyForConversionResponse { Application = ToContract(first) }
                : throw Problems.AlreadyExists("REQUEST_ID_REUSED",
                    $"request_id '{requestId}' was already used for an application to {first.ProgrammeCode}; use a new request_id.");
        }

        var programme = await ProgrammeAsync(programmeCode, ct);
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
            AppliedBy = caller.Actor,
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
            var raced = await db.Applications.AsNoTracking().FirstAsync(a => a.LearnerDocumentHash == learner && a.RequestId == requestId, ct);
            return new V1.ApplyForConversionResponse { Application = ToContract(raced) };
        }

        LogApplied(application.Id, programme.Code, items.Count);
        return new V1.ApplyForConversionResponse { Application = ToContract(application) };
    }

    [Authorize(Policy = Policies.ConversionsRead)]
    public override async Task<V1.GetApplicationResponse> GetApplication(V1.GetApplicationRequest request, ServerCallContext context)
    {
        var application = await FindAsync(request.ApplicationId, Caller.From(context), context.CancellationToken);
        return new V1.GetApplicationResponse { Application = ToContract(application) };
    }

    [Authorize(Policy = Scopes.ConversionsDecide)]
    public override async Task<V1.DecideConversionResponse> DecideConversion(V1.DecideConversionRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var ct = context.CancellationToken;
        var decisions = ConversionValidation.Decisions(request);
        var application = await FindAsync(request.ApplicationId, caller, ct, tracked: true);
        if (caller.InstitutionCode != application.InstitutionCode)
        {
            throw Problems.PermissionDenied("NOT_YOUR_PROGRAMME", "Only the institution whose programme it is decides a conversion into it.");
        }

        var items = ConversionJson.Read<List<ApplicationItem>>(application.Items);
        var violations = new FieldViolations();
        for (var i = 0; i < decisions.Count; i++)
        {
            var decision = decisions[i];
            var item = items.FirstOrDefault(x => x.Number == decision.ItemNumber);
            if (item is null)
            {
                violations.Add($"decisions[{i}].item_number", $"Application has no item {decision.ItemNumber}; items are 1 to {items.Count}.", "UNKNOWN_ITEM");
            }
            else if (item.Decision != ItemDecision.Pending)
            {
                violations.Add($"decisions[{i}].item_number", $"Item {item.Number} was already decided ({item.Decision}).", "ALREADY_DECIDED");
            }
            else if (decisions.Take(i).Any(d => d.ItemNumber == decision.ItemNumber))
            {
                violations.Add($"decisions[{i}].item_number", $"Item {decision.ItemNumber} is decided twice in this request; decide it once.", "ALREADY_DECIDED");
            }
            else if (!decision.Accept && decision.Reason.Length == 0)
            {
                violations.Add($"decisions[{i}].reason", "Say why the item is refused; the learner reads it.", "REQUIRED_FIELD");
            }
        }

        violations.ThrowIfAny("The decisions were not accepted");
        var now = time.GetUtcNow();
        foreach (var decision in decisions)
        {
            var index = items.FindIndex(x => x.Number == decision.ItemNumber);
            items[index] = items[index] with
            {
                Decision = decision.Accept ? ItemDecision.Accepted : ItemDecision.Refused,
                DecidedBy = caller.Actor,
                DecidedAt = now,
                Reason = decision.Reason.Length > 0 ? decision.Reason : null,
            };
        }

        application.Items = ConversionJson.Write(items);
        application.Version++;
        if (items.All(i => i.Decision != ItemDecision.Pending))
        {
            application.Status = ApplicationStatus.Decided;
            var accepted = items.Where(i => i.Decision == ItemDecision.Accepted).ToList();
            if (accepted.Count > 0)
            {
                var outcomeIds = accepted.SelectMany(i => i.OutcomeIds).Distinct().ToList();
                var outcomes = await db.LearnerOutcomes.AsNoTracking().Where(o => outcomeIds.Contains(o.OutcomeId))
                    .ToDictionaryAsync(o => o.OutcomeId, o => (o.Kind, o.LearnerDocumentType), ct);
                db.Enqueue(new CreditsConverted
                {
                    EventId = Guid.CreateVersion7(now),
                    OccurredAt = now,
                    Actor = caller.Actor,
                    ApplicationId = application.Id,
                    LearnerDocumentType = outcomes.Values.First().LearnerDocumentType,
                    LearnerDocumentHash = application.LearnerDocumentHash,
                    ProgrammeCode = application.ProgrammeCode,
                    InstitutionCode = application.InstitutionCode,
                    Items = accepted.Select(i => new ConvertedItem(i.Number, i.RuleId, i.RuleVersion,
                        i.OutcomeIds.Select(id => new ConvertedOutcome(id, outcomes[id].Kind)).ToList(), i.CourseCodes, i.Credits)).ToList(),
                });
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

        return new V1.DecideConversionResponse { Application = ToContract(application) };
    }

    private async Task<(Evaluation Evaluation, List<BankedOutcome> Outcomes)> EvaluateAsync(string learner, Programme programme, CancellationToken ct)
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
            On = Beijing(time.GetUtcNow()),
            AlreadyUsed = earlier.SelectMany(i => i.OutcomeIds).ToHashSet(),
            AlreadyExempted = earlier.SelectMany(i => i.CourseCodes.Select(c => new ExemptedCourse(c, i.Credits / i.CourseCodes.Count, i.CertificateOutcomeId))).ToList(),
        };
        return (Evaluator.Evaluate(request, await rules.GetAsync(ct)), outcomes);
    }

    private async Task<Programme> ProgrammeAsync(string code, CancellationToken ct)
    {
        var record = await db.Programmes.AsNoTracking().FirstOrDefaultAsync(p => p.Code == code, ct);
        return record is null
            ? throw Problems.NotFound("PROGRAMME_NOT_FOUND", $"No programme (专业) '{CreditBank.Grpc.Validation.Text.Echo(code)}' exists; ListProgrammes shows them.")
            : ConversionJson.Read<Programme>(record.Definition);
    }

    /// <summary>The learner, an institution reviewing it, or an administrator; to anyone else it does not exist.</summary>
    private async Task<ApplicationRecord> FindAsync(string applicationId, Caller caller, CancellationToken ct, bool tracked = false)
    {
        var id = ConversionValidation.ApplicationId(applicationId);
        var application = await (tracked ? db.Applications : db.Applications.AsNoTracking()).FirstOrDefaultAsync(a => a.Id == id, ct);
        var visible = application is not null && caller.Role switch
        {
            Roles.Learner => caller.DocumentHash == application.LearnerDocumentHash,
            Roles.Institution => caller.InstitutionCode == application.InstitutionCode,
            Roles.Admin or Roles.Reviewer => true,
            _ => false,
        };
        return visible ? application! : throw Problems.NotFound("APPLICATION_NOT_FOUND", $"No conversion application {id} exists.");
    }

    private static void MayManage(Caller caller, Programme programme)
    {
        if (!(caller.Is(Roles.Admin) || (caller.Is(Roles.Institution) && caller.InstitutionCode == programme.InstitutionCode && caller.Has(Scopes.ConversionsDecide))))
        {
            throw Problems.PermissionDenied("NOT_YOUR_PROGRAMME", "Only the programme's institution or an administrator manages its conversion rules.");
        }
    }

    private static string LearnerOf(Caller caller) => caller.Is(Roles.Learner) && caller.DocumentHash is { } hash
        ? hash
        : throw Problems.PermissionDenied("LEARNERS_ONLY", "Only a signed-in, verified learner evaluates and applies for their own conversion.");

    private static DateOnly Beijing(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime.AddHours(8));

    internal static string RefusalCode(Refusal refusal) => string.Concat(refusal.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();

    private static V1.Programme ToContract(Programme programme) => new()
    {
        ProgrammeCode = programme.Code,
        InstitutionCode = programme.InstitutionCode,
        Name = programme.Name,
        TotalCredits = (double)programme.TotalCredits,
        MaxConversionCredits = (double)programme.Caps.MaxTotalCredits,
        Courses = { programme.Courses.Select(c => new V1.Course { Code = c.Code, Title = c.Title, Credits = (double)c.Credits, Category = c.Category.ToString().ToUpperInvariant() }) },
    };

    private static V1.Exemption ToContract(ApplicationItem item) => new()
    {
        RuleId = item.RuleId,
        RuleVersion = item.RuleVersion,
        OutcomeIds = { item.OutcomeIds.Select(o => o.ToString()) },
        CourseCodes = { item.CourseCodes },
        Credits = (double)item.Credits,
    };

    private static V1.Application ToContract(ApplicationRecord application)
    {
        var items = ConversionJson.Read<List<ApplicationItem>>(application.Items);
        return new V1.Application
        {
            ApplicationId = application.Id.ToString(),
            ProgrammeCode = application.ProgrammeCode,
            InstitutionCode = application.InstitutionCode,
            Status = (V1.ApplicationStatus)(int)application.Status,
            AppliedAt = Timestamp.FromDateTimeOffset(application.AppliedAt),
            AcceptedCredits = (double)items.Where(i => i.Decision == ItemDecision.Accepted).Sum(i => i.Credits),
            Items =
            {
                items.Select(i => new V1.ApplicationItem
                {
                    ItemNumber = i.Number,
                    Exemption = ToContract(i),
                    Decision = (V1.ItemDecision)(int)i.Decision,
                    DecidedBy = i.DecidedBy ?? string.Empty,
                    DecidedAt = i.DecidedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
                    Reason = i.Reason ?? string.Empty,
                    Flagged = i.Flagged,
                }),
            },
        };
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Rules imported into {Programme}: {Changed} new versions, {Problems} problems, by {Actor}")]
    private partial void LogImported(string programme, int changed, int problems, string actor);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Conversion application {ApplicationId} to {Programme} with {Items} items")]
    private partial void LogApplied(Guid applicationId, string programme, int items);
}
