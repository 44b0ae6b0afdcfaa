using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CreditBank.Grpc;

/// <summary>
/// Every gRPC call's duration and status per RPC — <c>creditbank.rpc.duration</c> (seconds) with <c>rpc.service</c>,
/// <c>rpc.method</c> and <c>rpc.grpc.status_code</c> — whether it came over gRPC or over REST (JSON transcoding runs
/// the same interceptors). Its count is the number of calls, and the count with an error code the number of errors.
/// </summary>
/// <remarks>
/// The first interceptor, so that calls the others refuse (<see cref="CallLimits"/>) are counted too. Calls refused
/// before gRPC runs (no or a bad token) are ASP.NET Core's <c>http.server.request.duration</c>. When nothing listens it
/// only hands the call on. When something does, the RPC's names are split once and the tags live on the stack (the
/// call's own closure and await are the only allocations it adds).
/// </remarks>
internal sealed class RpcMetrics : Interceptor
{
    public const string MeterName = "CreditBank.Grpc";

    private static readonly object[] StatusCodes = Enumerable.Range(0, 17).Select(code => (object)code).ToArray();

    private readonly Histogram<double> _duration;
    private readonly ConcurrentDictionary<string, Rpc> _rpcs = new(StringComparer.Ordinal);

    public RpcMetrics(IMeterFactory meters)
    {
        _duration = meters.Create(MeterName).CreateHistogram("creditbank.rpc.duration", "s",
            "Duration of gRPC calls (REST calls included), by RPC and status code.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!_duration.Enabled)
        {
            return continuation(request, context);
        }

        var started = Stopwatch.GetTimestamp();
        return MeasureAsync(Call(() => continuation(request, context), context, started), context, started);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!_duration.Enabled)
        {
            return continuation(requestStream, context);
        }

        var started = Stopwatch.GetTimestamp();
        return MeasureAsync(Call(() => continuation(requestStream, context), context, started), context, started);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!_duration.Enabled)
        {
            return continuation(request, responseStream, context);
        }

        var started = Stopwatch.GetTimestamp();
        return MeasureAsync(Call(() => continuation(request, responseStream, context), context, started), context, started);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!_duration.Enabled)
        {
            return continuation(requestStream, responseStream, context);
        }

        var started = Stopwatch.GetTimestamp();
        return MeasureAsync(Call(() => continuation(requestStream, responseStream, context), context, started), context, started);
    }

    /// <summary>Starts the call; one that throws before it returns a task is recorded here.</summary>
    private TTask Call<TTask>(Func<TTask> start, ServerCallContext context, long started)
    {
        try
        {
            return start();
        }
        catch (Exception e)
        {
            Record(context.Method, StatusOf(e, context), started);
            throw;
        }
    }

    private async Task<TResponse> MeasureAsync<TResponse>(Task<TResponse> call, ServerCallContext context, long started)
    {
        var status = StatusCode.OK;
        try
        {
            var response = await call;
            status = context.Status.StatusCode;
            return response;
        }
        catch (Exception e)
        {
            status = StatusOf(e, context);
            throw;
        }
        finally
        {
            Record(context.Method, status, started);
        }
    }

    private async Task MeasureAsync(Task call, ServerCallContext context, long started)
    {
        var status = StatusCode.OK;
        try
        {
            await call;
            status = context.Status.StatusCode;
        }
        catch (Exception e)
        {
            status = StatusOf(e, context);
            throw;
        }
        finally
        {
            Record(context.Method, status, started);
        }
    }

    /// <summary>What the caller is told: an RpcException's code, CANCELLED for a call the caller gave up, UNKNOWN otherwise (gRPC's own mapping).</summary>
    private static StatusCode StatusOf(Exception e, ServerCallContext context) => e switch
    {
        RpcException rpc => rpc.StatusCode,
        OperationCanceledException when context.CancellationToken.IsCancellationRequested => StatusCode.Cancelled,
        _ => StatusCode.Unknown,
    };

    private void Record(string method, StatusCode status, long started)
    {
        var rpc = _rpcs.GetOrAdd(method, static m => new Rpc(m));
        var tags = new TagList
        {
            { "rpc.service", rpc.Service },
            { "rpc.method", rpc.Method },
            { "rpc.grpc.status_code", StatusCodes[(int)status is >= 0 and < 17 ? (int)status : (int)StatusCode.Unknown] },
        };
        _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }

    /// <summary><c>/creditbank.recognition.v1.RecognitionService/SubmitOutcome</c>, split once.</summary>
    private sealed class Rpc(string fullName)
    {
        public string Service { get; } = fullName.Trim('/')[..Math.Max(0, fullName.Trim('/').LastIndexOf('/'))];

        public string Method { get; } = fullName[(fullName.LastIndexOf('/') + 1)..];
    }
}
