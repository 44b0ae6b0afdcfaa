using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Validation;
using CreditBank.Recognition.Workstations;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Grpc;

/// <summary>creditbank.recognition.v1.WorkstationService: administrators run the workstations (工作站).</summary>
[Authorize(Policy = Scopes.Admin)]
internal sealed class WorkstationGrpcService(WorkstationAdministration administration) : V1.WorkstationService.WorkstationServiceBase
{
    public override async Task<V1.CreateWorkstationResponse> CreateWorkstation(V1.CreateWorkstationRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var code = WorkstationValidation.Code(request.WorkstationCode, violations);
        var name = WorkstationValidation.Name(request.Name, violations);
        var districts = WorkstationValidation.Districts(request.DistrictCodes, violations);
        violations.ThrowIfAny("The workstation was not created");
        var created = await administration.CreateAsync(code, name, districts, Admin(context), context.CancellationToken);
        return new V1.CreateWorkstationResponse { Workstation = ToContract(created) };
    }

    public override async Task<V1.UpdateWorkstationDistrictsResponse> UpdateWorkstationDistricts(V1.UpdateWorkstationDistrictsRequest request,
        ServerCallContext context)
    {
        var violations = new FieldViolations();
        var code = WorkstationValidation.Code(request.WorkstationCode, violations);
        var districts = WorkstationValidation.Districts(request.DistrictCodes, violations);
        violations.ThrowIfAny("The districts were not changed");
        var changed = await administration.UpdateDistrictsAsync(code, districts, Admin(context), context.CancellationToken);
        return new V1.UpdateWorkstationDistrictsResponse { Workstation = ToContract(changed) };
    }

    public override async Task<V1.AssignReviewerResponse> AssignReviewer(V1.AssignReviewerRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var code = WorkstationValidation.Code(request.WorkstationCode, violations);
        var reviewer = WorkstationValidation.ReviewerSubject(request.ReviewerSubject, violations);
        violations.ThrowIfAny("The reviewer was not assigned");
        var changed = await administration.AssignAsync(code, reviewer, Admin(context), context.CancellationToken);
        return new V1.AssignReviewerResponse { Workstation = ToContract(changed) };
    }

    public override async Task<V1.RemoveReviewerResponse> RemoveReviewer(V1.RemoveReviewerRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var code = WorkstationValidation.Code(request.WorkstationCode, violations);
        var reviewer = WorkstationValidation.ReviewerSubject(request.ReviewerSubject, violations);
        violations.ThrowIfAny("The reviewer was not removed");
        var changed = await administration.RemoveAsync(code, reviewer, Admin(context), context.CancellationToken);
        return new V1.RemoveReviewerResponse { Workstation = ToContract(changed) };
    }

    /// <summary>The scope alone is not enough: the portal's token carries <c>admin</c> for whoever signs in, so the role decides.</summary>
    private static string Admin(ServerCallContext context)
    {
        var caller = Caller.From(context);
        return caller.Is(Roles.Admin)
            ? caller.Actor
            : throw Problems.PermissionDenied("ADMINS_ONLY", "Only the bank's administrators run workstations.");
    }

    internal static V1.Workstation ToContract(Workstation w) => new()
    {
        Code = w.Code, Name = w.Name, DistrictCodes = { w.DistrictCodes }, IsDefault = w.IsDefault, ReviewerSubjects = { w.ReviewerSubjects },
    };
}
