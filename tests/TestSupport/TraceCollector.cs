using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace CreditBank.TestSupport;

/// <summary>
/// An in-process stand-in for an OpenTelemetry collector: the spans of the traces a test starts, as the bank's own
/// tracer configuration (shared/Grpc/Telemetry.cs: its sources and instrumentations) records and ends them.
/// </summary>
/// <remarks>
/// Only the traces a test begins with <see cref="Begin"/> are recorded (its sampler drops every other), so a fixture
/// shared by many tests keeps neither their spans nor their cost. In one process every tracer provider hears every
/// host's sources: one collector, added to one host, sees what all of that process's hosts do.
/// </remarks>
public sealed class TraceCollector
{
    private readonly ConcurrentDictionary<ActivityTraceId, ConcurrentQueue<Activity>> _traces = new();

    /// <summary>Exports this host's traces (and, in process, every host's) to the collector.</summary>
    public void AddTo(IHostApplicationBuilder builder) =>
        builder.Services.AddOpenTelemetry().WithTracing(t => t.SetSampler(new WatchedTraces(this)).AddProcessor(new Keep(this)));

    /// <summary>A new trace, as a caller that traces would start it: its W3C <c>traceparent</c> goes on the call.</summary>
    public ActivityContext Begin()
    {
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        _traces.TryAdd(context.TraceId, new ConcurrentQueue<Activity>());
        return context;
    }

    /// <summary>The spans of <paramref name="traceId"/> that have ended, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans(ActivityTraceId traceId) => _traces.TryGetValue(traceId, out var spans) ? [.. spans] : [];

    public static string TraceParent(ActivityContext context) => $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-01";

    private sealed class WatchedTraces(TraceCollector collector) : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
            new(collector._traces.ContainsKey(parameters.TraceId) ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
    }

    private sealed class Keep(TraceCollector collector) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (collector._traces.TryGetValue(data.TraceId, out var spans))
            {
                spans.Enqueue(data);
            }
        }
    }
}
