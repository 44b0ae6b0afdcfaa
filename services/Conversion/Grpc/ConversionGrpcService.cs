using CreditBank.Contracts.Events;
using CreditBank.Contracts.Learning;
using CreditBank.Conversion.Applications;
using CreditBank.Conversion.Data;
using CreditBank.Conversion.Domain;
using CreditBank.Conversion.Rules;
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
internal sealed class ConversionGrpcService(ApplicationDesk desk, RuleVersioning versions)
    : V1.ConversionService.ConversionServiceBase
{
    [Authorize(Policy = Policies.ConversionsRead)]
    public override async Task<V1.ListProgrammesResponse> ListProgrammes(V1.ListProgrammesRequest request, ServerCallContext context) =>
        new() { Programmes = { (await desk.ProgrammesAsync(context.CancellationToken)).Select(ToContract) } };

    [Authorize]
    public override async Task<V1.ImportRulesResponse> ImportRules(V1.ImportRulesRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var ct = context.CancellationToken;
        var (code, format, content) = ConversionValidation.Import(request);
        var programme = await desk.ProgrammeAsync(code, ct);
        MayManage(caller, programme);
        var file = RuleFiles.Read(content, format, given => given == programme.Code ? programme : null);
        ConversionValidation.RulesAreText(file.Rules);
        var imported = await versions.ImportAsync(programme, file.Rules, request.DryRun, caller.Actor, ct);
        return new V1.ImportRulesResponse
        {
            DryRun = request.DryRun,
            Problems = { file.Problems.Select(p => new V1.RuleLineProblem { Line = p.Line, Field = p.Field, Reason = p.Reason, Description = p.Description }) },
            Rules = { imported.Select(r => new V1.ImportedRule { RuleId = r.RuleId, Version = r.Version, Changed = r.Changed }) },
        };
    }

    /// <remarks>The programme's institution or an administrator, as for import: to anyone else the rules are not shown.</remarks>
    [Authorize]
    public override async Task<V1.ExportRulesResponse> ExportRules(V1.ExportRulesRequest request, ServerCallContext context)
    {
        var (code, format) = ConversionValidation.Export(request);
        var programme = await desk.ProgrammeAsync(code, context.CancellationToken);
        MayManage(Caller.From(context), programme);
        return new V1.ExportRulesResponse { Content = RuleFiles.Write(await versions.InForceAsync(programme, context.CancellationToken), format) };
    }

    [Authorize(Policy = Scopes.ConversionsApply)]
    public override async Task<V1.EvaluateConversionResponse> EvaluateConversion(V1.EvaluateConversionRequest request, ServerCallContext context)
    {
        var learner = LearnerOf(Caller.From(context));
        var ct = context.CancellationToken;
        var programme = await desk.ProgrammeAsync(ConversionValidation.Evaluate(request), ct);
        var (evaluation, outcomes) = await desk.EvaluateAsync(learner, programme, ct);
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
        if (await desk.FirstAsync(learner, requestId, ct) is { } first)
        {
            return first.ProgrammeCode == programmeCode
                ? new V1.ApplyForConversionResponse { Application = ToContract(first) }
                : throw Problems.AlreadyExists("REQUEST_ID_REUSED",
                    $"request_id '{requestId}' was already used for an application to {first.ProgrammeCode}; use a new request_id.");
        }

        var programme = await desk.ProgrammeAsync(programmeCode, ct);
        var application = await desk.ApplyAsync(learner, requestId, programme, caller.Actor, ct);
        return new V1.ApplyForConversionResponse { Application = ToContract(application) };
    }

    [Authorize(Policy = Policies.ConversionsRead)]
    public override async Task<V1.GetApplicationResponse> GetApplication(V1.GetApplicationRequest request, ServerCallContext context)
    {
        var application = await FindAsync(request.ApplicationId, Caller.From(context), context.CancellationToken);
        return new V1.GetApplicationResponse { Application = ToContract(application) };
    }

    /// <remarks>A learner's own, by the document they were verified with; a learner holds a handful, so an offset is a fine position.</remarks>
    [Authorize(Policy = Scopes.ConversionsApply)]
    public override async Task<V1.ListApplicationsResponse> ListApplications(V1.ListApplicationsRequest request, ServerCallContext context)
    {
        var learner = LearnerOf(Caller.From(context));
        var size = PageToken.Size(request.PageSize);
        var offset = PageToken.Decode(request.PageToken, $"applications:{learner[..12]}");
        var applications = await desk.OfLearnerAsync(learner, (int)offset, size + 1, context.CancellationToken);
        return new V1.ListApplicationsResponse
        {
            Applications = { applications.Take(size).Select(ToContract) },
            NextPageToken = applications.Count > size ? PageToken.Encode($"applications:{learner[..12]}", offset + size) : string.Empty,
        };
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

        var problems = await desk.DecideAsync(application, decisions, caller.Actor, ct);
        if (problems.Count > 0)
        {
            var violations = new FieldViolations();
            foreach (var problem in problems)
            {
                violations.Add($"decisions[{problem.Index}].{problem.Field}", problem.Description, problem.Reason);
            }

            violations.ThrowIfAny("The decisions were not accepted");
        }

        return new V1.DecideConversionResponse { Application = ToContract(application) };
    }

    /// <summary>The learner, an institution reviewing it, or an administrator; to anyone else it does not exist.</summary>
    private async Task<ApplicationRecord> FindAsync(string applicationId, Caller caller, CancellationToken ct, bool tracked = false)
    {
        var id = ConversionValidation.ApplicationId(applicationId);
        var application = await desk.FindAsync(id, tracked, ct);
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
}
