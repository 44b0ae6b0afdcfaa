using System.Diagnostics;
using System.Text.Json;
using CreditBank.Contracts.Events;

namespace CreditBank.Messaging;

/// <summary>An integration event waiting to be published, committed in the same transaction as the change that caused it.</summary>
/// <remarks>Times are Unix milliseconds so that both providers compare them natively in the relay's SQL.</remarks>
public sealed class OutboxMessage
{
    /// <summary>Commit order; the relay publishes in this order.</summary>
    public long Sequence { get; private set; }

    /// <summary>The event id, published as MassTransit's MessageId so consumers' inboxes can recognise a resend.</summary>
    public Guid Id { get; private set; }

    /// <summary>The event's CLR type name (namespace + name), resolved against <c>CreditBank.Contracts</c>.</summary>
    public string Type { get; private set; } = string.Empty;

    public string Body { get; private set; } = string.Empty;

    public long CreatedAtMs { get; private set; }

    public int Attempts { get; private set; }

    /// <summary>Set while a relay is publishing the row; a row whose lock expired is taken again.</summary>
    public long? LockedUntilMs { get; private set; }

    public long? PublishedAtMs { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the work that wrote the row (the gRPC call, the consumer), so that the relay's
    /// publish and the consumers continue its trace (docs/architecture.md, "Telemetry"); null when there was none.
    /// </summary>
    public string? TraceParent { get; private set; }

    /// <summary>The W3C <c>tracestate</c> that came with <see cref="TraceParent"/>, if any.</summary>
    public string? TraceState { get; private set; }

    public static OutboxMessage For<TEvent>(TEvent integrationEvent)
        where TEvent : class, IIntegrationEvent
    {
        // Kept even when this process records no trace: a caller's traceparent then still reaches the consumers.
        var activity = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current : null;
        return new()
        {
            Id = integrationEvent.EventId,
            Type = typeof(TEvent).FullName!,
            Body = JsonSerializer.Serialize(integrationEvent, EventJson.Options),
            CreatedAtMs = integrationEvent.OccurredAt.ToUnixTimeMilliseconds(),
            TraceParent = activity?.Id,
            TraceState = activity?.TraceStateString,
        };
    }
}

/// <summary>A message a consumer has already handled: inserted in the consumer's own transaction.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; init; }

    public string Consumer { get; init; } = string.Empty;

    public long ProcessedAtMs { get; init; }
}
