using System.Text;
using CreditBank.Messaging;
using RabbitMQ.Client;

namespace CreditBank.LoadGenerator.Drill;

/// <summary>A message MassTransit parked in an <c>_error</c> (or <c>_skipped</c>) queue, as its headers describe it.</summary>
public sealed record ParkedMessage(string Queue, string? MessageId, string? MessageType, string? ExceptionType, string? ExceptionMessage)
{
    /// <summary>One line for the report: the queue, the event and why it was parked.</summary>
    public string Kind => $"{Queue}: {Short(MessageType)} ({Short(ExceptionType)})";

    /// <summary>The last part of a name; of a message type list (<c>urn:message:…:OutcomeRevoked;urn:message:…:IIntegrationEvent</c>), the first type's.</summary>
    private static string Short(string? name) => name?.Split(';')[0] is { } first ? first[(first.LastIndexOfAny([':', '.']) + 1)..] : "?";
}

/// <summary>
/// Poison on purpose, and what is parked: one malformed message per consumer queue (its body is not JSON), which must
/// end in that queue's <c>_error</c> — and nothing else may. Read with a plain AMQP client, as an operator's tool would.
/// </summary>
public static class ParkedMessages
{
    /// <summary>The message type poison claims to be: one every release has a consumer of, so it reaches the deserializer.</summary>
    public const string PoisonMessageType = "urn:message:CreditBank.Contracts.Events:OutcomeRevoked";

    /// <summary>Publishes one poison message straight into each queue (default exchange); returns queue → message id.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> InjectPoisonAsync(Broker broker, IEnumerable<string> consumerQueues, CancellationToken ct = default)
    {
        await using var connection = await broker.ConnectAsync("drill-poison", ct);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        var injected = new Dictionary<string, string>();
        foreach (var queue in consumerQueues)
        {
            var id = Guid.NewGuid().ToString();
            var properties = new BasicProperties
            {
                Persistent = true,
                MessageId = id,
                ContentType = EventJson.ContentType.MediaType,
                Headers = new Dictionary<string, object?> { ["MT-MessageType"] = PoisonMessageType },
            };
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, Encoding.UTF8.GetBytes("{\"drill\": poison, not JSON"), ct);
            injected[queue] = id;
        }

        return injected;
    }

    /// <summary>
    /// Every message in these parking queues (up to <paramref name="limit"/> each), read without taking it: each is
    /// fetched unacknowledged and all are given back to their queue at the end.
    /// </summary>
    public static async Task<IReadOnlyList<ParkedMessage>> ReadAsync(Broker broker, IEnumerable<string> parkingQueues, int limit = 20_000, CancellationToken ct = default)
    {
        await using var connection = await broker.ConnectAsync("drill-parked-reader", ct);
        var parked = new List<ParkedMessage>();
        foreach (var queue in parkingQueues)
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            ulong last = 0;
            for (var n = 0; n < limit; n++)
            {
                var message = await channel.BasicGetAsync(queue, autoAck: false, ct);
                if (message is null)
                {
                    break;
                }

                last = message.DeliveryTag;
                var headers = message.BasicProperties.Headers ?? new Dictionary<string, object?>();
                parked.Add(new ParkedMessage(queue, message.BasicProperties.MessageId,
                    Header(headers, "MT-MessageType") ?? Header(headers, "MessageType"),
                    Header(headers, "MT-Fault-ExceptionType"), Header(headers, "MT-Fault-Message")));
            }

            if (last > 0)
            {
                await channel.BasicNackAsync(last, multiple: true, requeue: true, ct);
            }
        }

        return parked;
    }

    private static string? Header(IDictionary<string, object?> headers, string name) => headers.TryGetValue(name, out var value) ? value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        null => null,
        _ => value.ToString(),
    } : null;
}
