using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using Microsoft.AspNetCore.Authorization;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Validation;
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
        var given = CatalogueValidation.Institution(request.Institution, violations);
        violations.ThrowIfAny("The institution was not saved");
        var code = given!.Code;
        var ct = context.CancellationToken;
        var saved = await db.Institutions.FirstOrDefaultAsync(i => i.Code == code, ct);
        if (saved is null)
        {
            saved = new Institution { Code = code, Name = given.Name, Kind = given.Kind, Region = given.Region };
            db.Institutions.Add(saved);
        }

        (saved.Name, saved.Kind, saved.Region, saved.IsTrustedIssuer) = (given.Name, given.Kind, given.Region, given.Trusted);
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
        var unit = CatalogueValidation.Unit(request.Unit, store.Current.Levels, violations);
        violations.ThrowIfAny("The unit was not saved");
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        var actor = Caller.From(context).Actor;
        var saved = await db.AccreditationUnits.FirstOrDefaultAsync(u => u.Code == unit!.Code, ct);
        if (saved is null)
        {
            saved = new AccreditationUnit { Code = unit!.Code, Kind = unit.Kind, Name = unit.Name };
            db.AccreditationUnits.Add(saved);
        }
        else
        {
            saved.Version++;
        }

        (saved.Kind, saved.Name, saved.Level, saved.FrameworkLevel, saved.Credits, saved.MinCredits, saved.MaxCredits, saved.Criteria) =
            (unit!.Kind, unit.Name, unit.Level, unit.FrameworkLevel, unit.Credits, unit.MinCredits, unit.MaxCredits, unit.Criteria);
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
