using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace CreditBank.Grpc;

/// <summary>Errors as AIP-193 describes them: a canonical code, one ErrorInfo (reason + domain), details where useful.</summary>
public static class Problems
{
    public const string Domain = "creditbank.cn";

    public static RpcException InvalidArgument(string reason, string message, IEnumerable<BadRequest.Types.FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations);
        return Build(Code.InvalidArgument, reason, message, Any.Pack(badRequest));
    }

    public static RpcException NotFound(string reason, string message) => Build(Code.NotFound, reason, message);

    public static RpcException AlreadyExists(string reason, string message) => Build(Code.AlreadyExists, reason, message);

    public static RpcException PermissionDenied(string reason, string message) => Build(Code.PermissionDenied, reason, message);

    public static RpcException FailedPrecondition(string reason, string message) => Build(Code.FailedPrecondition, reason, message);

    /// <summary>The service is at capacity for this kind of call: the caller should retry after <paramref name="retryAfter"/>.</summary>
    public static RpcException ResourceExhausted(string reason, string message, TimeSpan retryAfter) =>
        Build(Code.ResourceExhausted, reason, message, Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }));

    /// <summary>This replica cannot take the call now (it is stopping): the caller should retry, on it or another, after <paramref name="retryAfter"/>.</summary>
    public static RpcException Unavailable(string reason, string message, TimeSpan retryAfter) =>
        Build(Code.Unavailable, reason, message, Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }));

    private static RpcException Build(Code code, string reason, string message, params Any[] details)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)code,
            Message = message,
            Details = { Any.Pack(new ErrorInfo { Reason = reason, Domain = Domain }) },
        };
        status.Details.Add(details);
        return status.ToRpcException();
    }
}
