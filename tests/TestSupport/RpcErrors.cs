using Google.Rpc;
using Grpc.Core;

namespace CreditBank.TestSupport;

/// <summary>Reads AIP-193 details off an RpcException, as a client would.</summary>
public static class RpcErrors
{
    public static ErrorInfo? ErrorInfo(this RpcException e) => e.GetRpcStatus()?.GetDetail<ErrorInfo>();

    public static IReadOnlyList<BadRequest.Types.FieldViolation> FieldViolations(this RpcException e) =>
        e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.ToList() ?? [];
}
