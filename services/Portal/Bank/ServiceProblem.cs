using Google.Rpc;
using Grpc.Core;

namespace CreditBank.Portal.Bank;

/// <summary>
/// A service's refusal as the person should read it: the <c>ErrorInfo.reason</c> of docs/errors.md (translated by the
/// page from the labels, <c>Error.&lt;REASON&gt;</c>), the field that was wrong, and the service's own words beside it.
/// Never a stack trace.
/// </summary>
public sealed record ServiceProblem(string Reason, StatusCode Code, string? Field, string Detail)
{
    public static ServiceProblem From(RpcException e)
    {
        var status = e.GetRpcStatus();
        var reason = status?.GetDetail<ErrorInfo>()?.Reason;
        var field = status?.GetDetail<BadRequest>()?.FieldViolations.FirstOrDefault();
        return new ServiceProblem(
            reason ?? field?.Reason ?? e.StatusCode.ToString().ToUpperInvariant(),
            e.StatusCode,
            field?.Field,
            field?.Description is { Length: > 0 } description ? description : e.Status.Detail);
    }
}
