using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using Microsoft.AspNetCore.Authorization;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Grpc;

/// <summary>creditbank.recognition.v1.CatalogueService: the catalogue (目录) as the bank decides with it.</summary>
internal sealed partial class CatalogueGrpcService(RecognitionDb db, CatalogueStore store, TimeProvider time, ILogger<CatalogueGrpcService> logger)
    : V1.CatalogueService.CatalogueServiceBase
{
    public override Task<V1.ListInstitutionsResponse> ListInstitutions(V1.ListInstitutionsRequest request, ServerCallContext context)
    {
        var size = PageToken.Size(request.PageSize);
        var scope = $"institutions:{request.Kind}:{request.Region}";
        var offset = (int)PageToken.Decode(request.PageToken, scope);
        var matching = store.Current.Institutions
            .Where(i => (request.Kind.Length == 0 || i.Kind == request.Kind) && (request.Region.Length == 0 || i.Region == request.Region))
            .OrderBy(i => i.Code, StringComparer.Ordinal).ToList();
        return Task.FromResult(new V1.ListInstitutionsResponse
        {
            Institutions =
            {
                matching.Skip(offset).Take(size).Select(ToContract),
            },
            NextPageToken = matching.Count > offset + size ? PageToken.Encode(scope, offset + size) : string.Empty,
        });
    }

    public override Task<V1.ListWorkstationsResponse> ListWorkstations(V1.ListWorkstationsRequest request, ServerCallContext context) =>
        Task.FromResult(new V1.ListWorkstationsResponse
        {
            Workstations = { store.Current.Workstations.Select(w => new V1.Workstation { Code = w.Code, Name = w.Name, DistrictCodes = { w.DistrictCodes }, IsDefault = w.IsDefault }) },
        });

    public override Task<V1.ListFrameworkLevelsResponse> ListFrameworkLevels(V1.ListFrameworkLevelsRequest request, ServerCallContext context) =>
        Task.FromResult(new V1.ListFrameworkLevelsResponse
        {
            Levels = { store.Current.Levels.Select(l => new V1.FrameworkLevel { Level = l.Level, Name = l.Name, Description = l.Descriptor }) },
        });

    public override Task<V1.ListAccreditationUnitsResponse> ListAccreditationUnits(V1.ListAccreditationUnitsRequest request, ServerCallContext context)
    {
        var size = PageToken.Size(request.PageSize);
        var scope = $"units:{(int)request.Kind}";
        var offset = (int)PageToken.Decode(request.PageToken, scope);
        var matching = store.Current.Units.Where(u => request.Kind == V1.OutcomeKindName.Unspecified || (int)u.Kind == (int)request.Kind).ToList();
        return Task.FromResult(new V1.ListAccreditationUnitsResponse
        {
            Units = { matching.Skip(offset).Take(size).Select(ToContract) },
            NextPageToken = matching.Count > offset + size ? PageToken.Encode(scope, offset + size) : string.Empty,
        });
    }

    public override Task<V1.ListGradingSchemesResponse> ListGradingSchemes(V1.ListGradingSchemesRequest request, ServerCallContext context) =>
        Task.FromResult(new V1.ListGradingSchemesResponse
        {
            Schemes =
            {
                store.Current.GradingSchemes.OrderBy(s => s.Code).Select(s => new V1.GradingSchemeDefinition
                {
                    Code = s.Code, Name = s.Name, Min = (double)s.Min, Max = (double)s.Max, PassMark = (double)s.PassMark,
                    Values = { s.Values.Select(v => v.Value) },
                    PassingValues = { s.Values.Where(v => v.Passes).Select(v => v.Value) },
                }),
            },
        });

    [Authorize(Policy = Scopes.Admin)]
    public override async Task<V1.SaveInstitutionResponse> SaveInstitution(V1.SaveInstitutionRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var given = request.Institution;
        if (given is null)
        {
            violations.Add("institution", "The institution (机构) is required.", "REQUIRED_FIELD");
            violations.ThrowIfAny("The institution was not saved");
        }

        var code = given!.Code.Trim();
        if (InstitutionCode.Problem(code) is { } problem)
        {
            violations.Add("institution.code", problem, "INVALID_INSTITUTION_CODE");
        }

        violations.RequireText("institution.name", given.Name, 200, "The institution's name (机构名称)");
        if (!Institution.Kinds.Contains(given.Kind.Trim()))
        {
            violations.Add("institution.kind", $"The kind (机构类型) must be one of {string.Join(", ", Institution.Kinds)}.", "INVALID_KIND");
        }

        if (!Institution.Regions.Contains(given.Region.Trim()))
        {
            violations.Add("institution.region", $"The region must be one of {string.Join(", ", Institution.Regions)}.", "INVALID_REGION");
        }

        if (given.TrustLevel == V1.TrustLevel.Unspecified)
        {
            violations.Add("institution.trust_level", "Say whether it is a trusted issuer (可信发证机构): TRUST_LEVEL_TRUSTED or TRUST_LEVEL_UNTRUSTED.", "REQUIRED_FIELD");
        }

        violations.ThrowIfAny("The institution was not saved");
        var ct = context.CancellationToken;
        var saved = await db.Institutions.FirstOrDefaultAsync(i => i.Code == code, ct);
        if (saved is null)
        {
            saved = new Institution { Code = code, Name = given.Name.Trim(), Kind = given.Kind.Trim(), Region = given.Region.Trim() };
            db.Institutions.Add(saved);
        }

        (saved.Name, saved.Kind, saved.Region, saved.IsTrustedIssuer) =
            (given.Name.Trim(), given.Kind.Trim(), given.Region.Trim(), given.TrustLevel == V1.TrustLevel.Trusted);
        await db.SaveChangesAsync(ct);
        await store.ReloadAsync(db, ct);
        LogInstitutionSaved(saved.Code, saved.IsTrustedIssuer, Caller.From(context).Actor);
        return new V1.SaveInstitutionResponse { Institution = ToContract(saved) };
    }

    private static V1.Institution ToContract(Institution i) => new()
    {
        Code = i.Code, Name = i.Name, Kind = i.Kind, Region = i.Region,
        TrustLevel = i.IsTrustedIssuer ? V1.TrustLevel.Trusted : V1.TrustLevel.Untrusted,
    };

    [Authorize(Policy = Scopes.Admin)]
    public override async Task<V1.SaveAccreditationUnitResponse> SaveAccreditationUnit(V1.SaveAccreditationUnitRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var unit = request.Unit;
        if (unit is null)
        {
            violations.Add("unit", "The accreditation unit is required.", "REQUIRED_FIELD");
            violations.ThrowIfAny("The unit was not saved");
        }

        violations.RequireText("unit.code", unit!.Code, 40, "The unit code");
        violations.RequireText("unit.name", unit.Name, 200, "The standard outcome (标准成果)");
        if (unit.Kind == V1.OutcomeKindName.Unspecified || !System.Enum.IsDefined(unit.Kind))
        {
            violations.Add("unit.kind", "The kind of outcome the unit is for is required.", "REQUIRED_FIELD");
        }

        var levels = store.Current.Levels;
        if (levels.Count > 0 && levels.All(l => l.Level != unit.FrameworkLevel))
        {
            violations.Add("unit.framework_level", $"The framework level must be one of {levels[0].Level}–{levels[^1].Level}.", "INVALID_LEVEL");
        }

        var cap = unit.Kind == V1.OutcomeKindName.Course ? SubmitOutcomeValidation.MaxCourseCredits : CreditRules.MaxCreditsPerOutcome;
        var credits = SubmitOutcomeValidation.CheckCredits(unit.Credits, cap, "unit.credits", violations);
        var min = (decimal)unit.MinCredits;
        var max = (decimal)unit.MaxCredits;
        if (min <= 0 || min > credits || max < credits || max > cap)
        {
            violations.Add("unit.min_credits", $"Need 0 < min_credits ≤ credits ≤ max_credits ≤ {cap}.", "INVALID_CREDITS");
        }

        violations.ThrowIfAny("The unit was not saved");
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        var actor = Caller.From(context).Actor;
        var saved = await db.AccreditationUnits.FirstOrDefaultAsync(u => u.Code == unit.Code.Trim(), ct);
        if (saved is null)
        {
            saved = new AccreditationUnit { Code = unit.Code.Trim(), Kind = (OutcomeKind)(int)unit.Kind, Name = unit.Name.Trim() };
            db.AccreditationUnits.Add(saved);
        }
        else
        {
            saved.Version++;
        }

        (saved.Kind, saved.Name, saved.Level, saved.FrameworkLevel, saved.Credits, saved.MinCredits, saved.MaxCredits, saved.Criteria) =
            ((OutcomeKind)(int)unit.Kind, unit.Name.Trim(), unit.Level, unit.FrameworkLevel, credits, min, max, unit.Criteria.Trim());
        (saved.ChangedBy, saved.ChangedAt) = (actor, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw Problems.FailedPrecondition("CONCURRENT_CHANGE", $"Unit {unit.Code} was changed by someone else at the same time; load it and try again.");
        }

        await store.ReloadAsync(db, ct);
        LogUnitSaved(saved.Code, saved.Version, actor);
        return new V1.SaveAccreditationUnitResponse { Unit = ToContract(saved) };
    }

    private static V1.AccreditationUnit ToContract(AccreditationUnit u) => new()
    {
        Code = u.Code, Kind = (V1.OutcomeKindName)(int)u.Kind, Name = u.Name, Level = u.Level, FrameworkLevel = u.FrameworkLevel,
        Credits = (double)u.Credits, MinCredits = (double)u.MinCredits, MaxCredits = (double)u.MaxCredits, Criteria = u.Criteria, Version = u.Version,
    };

    [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Institution {Code} saved (trusted issuer: {Trusted}) by {Actor}")]
    private partial void LogInstitutionSaved(string code, bool trusted, string actor);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Accreditation unit {Code} saved as version {Version} by {Actor}")]
    private partial void LogUnitSaved(string code, int version, string actor);
}
