using CreditBank.Contracts.Type.V1;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using CreditBank.Recognition.Catalogue;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Validation;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Grpc;

/// <summary>creditbank.recognition.v1.CatalogueService: the catalogue (目录) as the bank decides with it.</summary>
internal sealed class CatalogueGrpcService(CatalogueStore store, CatalogueEditor editor)
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

    /// <remarks>Reviewer assignments are for administrators' eyes: everyone else sees the workstations without them.</remarks>
    public override Task<V1.ListWorkstationsResponse> ListWorkstations(V1.ListWorkstationsRequest request, ServerCallContext context)
    {
        var admin = Caller.From(context).Is(Roles.Admin);
        return Task.FromResult(new V1.ListWorkstationsResponse
        {
            Workstations =
            {
                store.Current.Workstations.Select(w => admin
                    ? WorkstationGrpcService.ToContract(w)
                    : new V1.Workstation { Code = w.Code, Name = w.Name, DistrictCodes = { w.DistrictCodes }, IsDefault = w.IsDefault }),
            },
        });
    }

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
        var matching = store.Current.Units.Where(u => request.Kind == OutcomeKind.Unspecified || u.Kind == request.Kind).ToList();
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
        var saved = await editor.SaveInstitutionAsync(given!, Caller.From(context).Actor, context.CancellationToken);
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
        var saved = await editor.SaveUnitAsync(unit!, Caller.From(context).Actor, context.CancellationToken);
        return new V1.SaveAccreditationUnitResponse { Unit = ToContract(saved) };
    }

    private static V1.AccreditationUnit ToContract(AccreditationUnit u) => new()
    {
        Code = u.Code, Kind = u.Kind, Name = u.Name, Level = u.Level, FrameworkLevel = u.FrameworkLevel,
        Credits = (double)u.Credits, MinCredits = (double)u.MinCredits, MaxCredits = (double)u.MaxCredits, Criteria = u.Criteria, Version = u.Version,
    };
}
