using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace CreditBank.Grpc;

/// <summary>Errors as AIP-193 describes them: a canonical code, one ErrorInfo (reason + domain), details where useful.</summary>
public static class Problems
{
    public const string Domain = "creditbank.cn";

    /// <summary>
    /// The longest message or violation description an answer carries. Errors travel in HTTP/2 trailers (grpc-message,
    /// grpc-status-details-bin): an error that repeated a megabyte the caller sent made trailers no client would take, and
    /// the HPACK state of the whole connection was lost with them, hanging every other call on it.
    /// </summary>
    public const int MaxMessageLength = 400;

    /// <summary>The most field violations one answer lists (a batch line or a request can have only so many fields).</summary>
    public const int MaxViolations = 50;

    public static RpcException InvalidArgument(string reason, string message, IEnumerable<BadRequest.Types.FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Take(MaxViolations).Select(v => new BadRequest.Types.FieldViolation
        {
            Field = Bounded(v.Field, 200), Reason = v.Reason, Description = Bounded(v.Description, MaxMessageLength),
        }));
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
            Message = Bounded(message, MaxMessageLength),
            Details = { Any.Pack(new ErrorInfo { Reason = reason, Domain = Domain }) },
        };
        status.Details.Add(details);
        return status.ToRpcException();
    }

    /// <summary>An HTTP 413 answer's body and a gRPC RESOURCE_EXHAUSTED alike: what was sent is larger than the route takes.</summary>
    public static RpcException TooLarge(string what, long size, long limit) => Build(Code.ResourceExhausted, "REQUEST_TOO_LARGE",
        $"{what} is {size:N0} bytes; this route takes at most {limit:N0}. Send less at once (a semester of outcomes: a batch, line by line).");

    /// <summary>The status as the JSON REST callers get (google.rpc.Status with its details), for routes that are not transcoded.</summary>
    public static Google.Rpc.Status StatusOf(RpcException e) =>
        e.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)e.StatusCode, Message = Bounded(e.Status.Detail, MaxMessageLength) };

    /// <summary>The ErrorInfo reason an error carries, if any.</summary>
    public static string? ErrorReason(this RpcException e) =>
        e.GetRpcStatus()?.Details.Where(d => d.Is(ErrorInfo.Descriptor)).Select(d => d.Unpack<ErrorInfo>().Reason).FirstOrDefault();

    private static string Bounded(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[length - 2]) ? length - 2 : length - 1;
        return text[..cut] + "…";
    }
}
