using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CreditBank.Grpc;

/// <summary>
/// How many calls of one gRPC method a process works on at once, and how long a call may wait for a turn. A call that
/// does not get one in time is refused with RESOURCE_EXHAUSTED (and a RetryInfo) instead of joining an unbounded queue:
/// under overload the calls that are taken stay fast, memory stays bounded, and a caller knows to retry — for a
/// submission with the same request_id, which returns the first answer.
/// </summary>
/// <param name="Method">The full method name, e.g. <c>/creditbank.recognition.v1.RecognitionService/SubmitOutcome</c>.</param>
public sealed record CallLimit(string Method, int MaxInFlight, TimeSpan MaxWait);

public static class CallLimits
{
    /// <summary>Limits unary calls of <see cref="CallLimit.Method"/>; a limit of 0 turns it off.</summary>
    public static IHostApplicationBuilder AddCallLimit(this IHostApplicationBuilder builder, CallLimit limit)
    {
        if (limit.MaxInFlight <= 0)
        {
            return builder;
        }

        builder.Services.AddSingleton(new CallTurns(limit));
        if (!builder.Services.Any(d => d.ServiceType == typeof(CallLimitInterceptor)))
        {
            builder.Services.AddSingleton<CallLimitInterceptor>();
            // Options, not AddGrpc again: AddGrpc would bind services a second time (ReceivedMessages replaces its binder).
            builder.Services.Configure<global::Grpc.AspNetCore.Server.GrpcServiceOptions>(o => o.Interceptors.Add<CallLimitInterceptor>());
        }

        return builder;
    }
}

/// <summary>The turns of one limited method.</summary>
internal sealed class CallTurns(CallLimit limit)
{
    public CallLimit Limit { get; } = limit;

    public SemaphoreSlim Slots { get; } = new(limit.MaxInFlight, limit.MaxInFlight);
}

internal sealed class CallLimitInterceptor(IEnumerable<CallTurns> limits) : Interceptor
{
    private readonly Dictionary<string, CallTurns> _byMethod = limits.ToDictionary(l => l.Limit.Method, StringComparer.Ordinal);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!_byMethod.TryGetValue(context.Method, out var turns))
        {
            return await continuation(request, context);
        }

        if (!await turns.Slots.WaitAsync(turns.Limit.MaxWait, context.CancellationToken))
        {
            var method = context.Method[(context.Method.LastIndexOf('/') + 1)..];
            // Over REST this is a 429: like every 429 of the bank, it says when to retry.
            context.GetHttpContext().Response.Headers.RetryAfter = "1";
            throw Problems.ResourceExhausted("TOO_MANY_CALLS",
                $"The bank is busy: {turns.Limit.MaxInFlight} {method} calls are in progress and this one waited {turns.Limit.MaxWait.TotalMilliseconds:0} ms " +
                "for a turn. Retry in a moment with the same request_id; a retry returns the first answer and never stores anything twice.",
                TimeSpan.FromSeconds(1));
        }

        try
        {
            return await continuation(request, context);
        }
        finally
        {
            turns.Slots.Release();
        }
    }
}
