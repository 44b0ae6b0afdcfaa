using System.Diagnostics;
using System.Diagnostics.Metrics;
using CreditBank.Contracts.Events;
using MassTransit;
using MassTransit.Logging;

namespace CreditBank.Messaging;

/// <summary>
/// What the outbox and the consumers tell operators: spans for the relay's publishes, and the <c>CreditBank.Messaging</c>
/// meter — the outbox's backlog and the age of its oldest event, events published and consumed, and how long an event
/// took from its <c>OccurredAt</c> to being published and to being consumed (docs/operations.md, "Metrics").
/// </summary>
/// <remarks>
/// Instruments are created once per host. Every path checks <see cref="Instrument.Enabled"/> (something listens: an
/// exporter is configured) before it measures, so without an exporter the relay and the consumers do what they did.
/// </remarks>
public sealed class MessagingMetrics
{
    public const string Name = "CreditBank.Messaging";

    /// <summary>The relay's spans: one per published row, continuing the trace the row was written in.</summary>
    internal static readonly ActivitySource Source = new(Name);

    private static readonly double[] LagBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600];

    private readonly TimeProvider _time;
    private readonly Counter<long> _published;
    private readonly Counter<long> _publishFailures;
    private readonly Histogram<double> _publishDelay;
    private readonly Counter<long> _consumed;
    private readonly Histogram<double> _consumerLag;
    private readonly ObservableGauge<long> _pending;
    private readonly ObservableGauge<double> _oldestAge;
    private readonly List<OutboxBacklog> _backlogs = [];

    public MessagingMetrics(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(Name);
        _pending = meter.CreateObservableGauge("creditbank.outbox.pending", Pending, "{event}",
            "Events committed to the outbox and not yet confirmed by the broker (the whole table: every replica reports the same).");
        _oldestAge = meter.CreateObservableGauge("creditbank.outbox.oldest_pending_age", OldestAges, "s",
            "How long the oldest event not yet confirmed by the broker has waited since it occurred; 0 when none waits.");
        _published = meter.CreateCounter<long>("creditbank.events.published", "{event}", "Events the outbox relay published and the broker confirmed.");
        _publishFailures = meter.CreateCounter<long>("creditbank.outbox.publish_failures", "{event}",
            "Publishes the broker did not confirm (refused, timed out, unknown event type); the row is retried.");
        _publishDelay = meter.CreateHistogram("creditbank.outbox.publish_delay", "s", "From an event's OccurredAt to the broker's confirm of its publish.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
        _consumed = meter.CreateCounter<long>("creditbank.events.consumed", "{event}",
            "Events a consumer handled successfully (redeliveries acknowledged by the inbox included).");
        _consumerLag = meter.CreateHistogram("creditbank.consumer.lag", "s", "From an event's OccurredAt to the end of its successful consumption, per consumer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
    }

    /// <summary>True while someone reads the outbox's backlog: only then does the relay count it.</summary>
    internal bool BacklogObserved => _pending.Enabled || _oldestAge.Enabled;

    internal bool PublishesObserved => _published.Enabled || _publishFailures.Enabled || _publishDelay.Enabled;

    internal bool ConsumersObserved => _consumed.Enabled || _consumerLag.Enabled;

    /// <summary>The backlog of one service's outbox, reported under <c>outbox</c>=<paramref name="outbox"/>.</summary>
    internal OutboxBacklog Track(string outbox)
    {
        var backlog = new OutboxBacklog(outbox.ToLowerInvariant());
        lock (_backlogs)
        {
            _backlogs.Add(backlog);
        }

        return backlog;
    }

    internal void Published(string outbox, string eventType, long occurredAtMs)
    {
        var tags = new TagList { { "outbox", outbox }, { "event", eventType } };
        _published.Add(1, tags);
        _publishDelay.Record(Seconds(_time.GetUtcNow().ToUnixTimeMilliseconds() - occurredAtMs), tags);
    }

    internal void PublishFailed(string outbox, string eventType) =>
        _publishFailures.Add(1, new TagList { { "outbox", outbox }, { "event", eventType } });

    internal void Consumed(string consumer, string eventType, DateTimeOffset? occurredAt)
    {
        var tags = new TagList { { "consumer", consumer }, { "event", eventType } };
        _consumed.Add(1, tags);
        if (occurredAt is { } at)
        {
            _consumerLag.Record(Seconds((_time.GetUtcNow() - at).TotalMilliseconds), new TagList { { "consumer", consumer } });
        }
    }

    private static double Seconds(double milliseconds) => Math.Max(0, milliseconds) / 1000;

    private IEnumerable<Measurement<long>> Pending() =>
        from backlog in Backlogs()
        let sample = backlog.Last
        where sample is not null
        select new Measurement<long>(sample.Pending, new KeyValuePair<string, object?>("outbox", backlog.Outbox));

    private IEnumerable<Measurement<double>> OldestAges()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        // Computed now from when the oldest event occurred, so the age keeps growing while the relay cannot look (a
        // database or broker outage): an alert on it fires even then.
        return from backlog in Backlogs()
               let sample = backlog.Last
               where sample is not null
               select new Measurement<double>(sample.OldestOccurredAtMs is { } oldest ? Seconds(now - oldest) : 0,
                   new KeyValuePair<string, object?>("outbox", backlog.Outbox));
    }

    private OutboxBacklog[] Backlogs()
    {
        lock (_backlogs)
        {
            return [.. _backlogs];
        }
    }
}

/// <summary>What an outbox held when its relay last looked (<see cref="OutboxRelay{TDb}"/> counts every few seconds while observed).</summary>
internal sealed class OutboxBacklog(string outbox)
{
    private Sample? _last;

    public string Outbox { get; } = outbox;

    public Sample? Last => Volatile.Read(ref _last);

    public void Record(long pending, long? oldestOccurredAtMs, long atMs) => Volatile.Write(ref _last, new Sample(pending, oldestOccurredAtMs, atMs));

    /// <param name="Pending">Rows not yet confirmed by the broker.</param>
    /// <param name="OldestOccurredAtMs">When the first of them occurred (Unix milliseconds); null when none waits.</param>
    /// <param name="AtMs">When the relay counted.</param>
    public sealed record Sample(long Pending, long? OldestOccurredAtMs, long AtMs);
}

/// <summary>
/// The trace context on the wire: W3C <c>traceparent</c> and <c>tracestate</c> for any reader, and MassTransit's own
/// <c>MT-Activity-Id</c>, from which MassTransit starts a consumer's spans.
/// </summary>
internal static class MessageTrace
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    /// <summary>
    /// Sets the headers of an event the relay publishes: the relay's span if it records one, else the context stored
    /// with the row. MassTransit replaces <c>MT-Activity-Id</c> by its own send span when it records one (a child of
    /// the relay's span), and otherwise continues from the header set here, so a consumer's spans always join the trace
    /// that wrote the row.
    /// </summary>
    public static void Write(SendHeaders headers, Activity? publish, ClaimedOutboxRow row)
    {
        var parent = publish?.Id ?? row.TraceParent;
        if (parent is null)
        {
            return;
        }

        headers.Set(TraceParent, parent);
        headers.Set(DiagnosticHeaders.ActivityId, parent);
        if ((publish is null ? row.TraceState : publish.TraceStateString) is { Length: > 0 } state)
        {
            headers.Set(TraceState, state);
        }
    }

    /// <summary>
    /// The <c>tracestate</c> that came with a consumed event, on the consumer's span (MassTransit carries only the
    /// parent's id), so that what the consumer writes — its own outbox rows included — passes it on.
    /// </summary>
    public static void ContinueTraceState(ConsumeContext context)
    {
        if (Activity.Current is { TraceStateString: null } current
            && context.Headers.TryGetHeader(TraceState, out var value) && value is string { Length: > 0 } state)
        {
            current.TraceStateString = state;
        }
    }
}

/// <summary>Puts <see cref="ConsumedEvents{TConsumer,TMessage}"/> in front of every consumer of the bus.</summary>
internal sealed class ConsumerTelemetry(MessagingMetrics metrics) : IConsumerConfigurationObserver
{
    public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator)
        where TConsumer : class
    {
    }

    public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
        where TConsumer : class
        where TMessage : class =>
        configurator.UseFilter(new ConsumedEvents<TConsumer, TMessage>(metrics));
}

/// <summary>Counts a consumer's events and their lag (per queue: one consumer each), and continues the trace state.</summary>
internal sealed class ConsumedEvents<TConsumer, TMessage>(MessagingMetrics metrics) : IFilter<ConsumerConsumeContext<TConsumer, TMessage>>
    where TConsumer : class
    where TMessage : class
{
    /// <summary>The event's name; for a <see cref="ListEventConsumer{TEvent}"/>'s delivery (<c>Batch&lt;TEvent&gt;</c>), its events'.</summary>
    private static readonly string EventType =
        (typeof(TMessage).IsGenericType && typeof(TMessage).GetGenericTypeDefinition() == typeof(Batch<>) ? typeof(TMessage).GetGenericArguments()[0] : typeof(TMessage)).Name;

    private string? _queue;

    public Task Send(ConsumerConsumeContext<TConsumer, TMessage> context, IPipe<ConsumerConsumeContext<TConsumer, TMessage>> next)
    {
        MessageTrace.ContinueTraceState(context);
        return metrics.ConsumersObserved ? MeasureAsync(context, next) : next.Send(context);
    }

    private async Task MeasureAsync(ConsumerConsumeContext<TConsumer, TMessage> context, IPipe<ConsumerConsumeContext<TConsumer, TMessage>> next)
    {
        await next.Send(context);
        // The queue's name (its last path segment, on RabbitMQ and in memory alike) is what operators see in the broker.
        _queue ??= context.ReceiveContext.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? typeof(TConsumer).Name;
        if (context.Message is IEnumerable<ConsumeContext<IIntegrationEvent>> together)
        {
            // Events handed over together (a ListEventConsumer's delivery): each counts, with its own lag.
            foreach (var one in together)
            {
                metrics.Consumed(_queue, EventType, one.Message.OccurredAt);
            }
        }
        else
        {
            metrics.Consumed(_queue, EventType, (context.Message as IIntegrationEvent)?.OccurredAt);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("creditbank-consumed-events");
}
