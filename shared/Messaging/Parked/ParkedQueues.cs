using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace CreditBank.Messaging.Parked;

/// <summary>A consumer queue's <c>_error</c> queue: how many messages wait there, and the first of them.</summary>
internal sealed record ParkedQueue(string Queue, string ErrorQueue, long Count, IReadOnlyList<ParkedMessage> First);

/// <summary>A parked message as its properties and MassTransit's fault headers describe it; its body is only measured (it may carry personal data).</summary>
internal sealed record ParkedMessage(
    string? MessageId,
    string? MessageType,
    DateTimeOffset? FaultedAt,
    string? ExceptionType,
    string? ExceptionMessage,
    string? ConsumerType,
    int RetryCount,
    long BodySize,
    string? ContentType);

/// <summary>What a restore did: the messages it moved back, and how many were parked when it ended.</summary>
internal sealed record Restored(int Moved, long StillParked);

/// <summary>RabbitMQ could not be reached, or failed part way; <see cref="Moved"/> messages had been moved back by then.</summary>
internal sealed class BrokerUnavailableException(string message, Exception inner, int moved) : Exception(message, inner)
{
    public int Moved => moved;
}

/// <summary>
/// MassTransit's <c>_error</c> queues on RabbitMQ, where a receive endpoint parks a message its consumer still failed on
/// after every retry (<see cref="MessagingExtensions"/>): looked at without losing or changing any, and moved back to their queue.
/// </summary>
/// <remarks>
/// Looking: RabbitMQ cannot browse a queue. Taking a message without acknowledging it and closing the channel (what the
/// management UI's "get messages" does) returns it — to the back of a quorum queue, as MassTransit declares the
/// <c>_error</c> queues beside quorum receive queues (measured on RabbitMQ 3.10) — and counts a delivery, and a quorum
/// queue drops a message past its <c>delivery-limit</c> (20 by default from RabbitMQ 4.0; returns count until 4.3). So a
/// look takes each message it describes and puts a copy back at the end of the queue, confirmed before the original is
/// acknowledged: the same order a return gives, never counted as a delivery, so no limit drops a message however often it
/// is looked at. Looking at fewer messages than are parked moves those to the back: the next look shows the next ones.
/// Moving back: one message at a time on a channel with publisher confirms, published through the default exchange to the
/// consumer queue (mandatory, so a queue that is gone fails the publish instead of dropping it), and acknowledged on the
/// <c>_error</c> queue only once the broker confirmed the copy. Either way, if the process or its connection dies between
/// the two, the original stays and the copy too: a message may then be parked twice, or restored twice (the consumers'
/// inboxes absorb it), never lost.
/// </remarks>
internal sealed class ParkedQueues(IOptions<MessagingOptions> options)
{
    /// <summary>What MassTransit appends to a receive endpoint's queue name to name its error queue.</summary>
    private const string ErrorSuffix = "_error";

    /// <summary>AMQP's reply code for a queue that does not exist (its <c>_error</c> queue is declared with the first fault).</summary>
    private const int NotFound = 404;

    /// <summary>Every publish waits for the broker's confirm, and a message no queue takes (mandatory) fails it.</summary>
    private static readonly CreateChannelOptions Confirmed = new(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);

    public static string ErrorQueueOf(string queue) => queue + ErrorSuffix;

    /// <summary>Each queue's parked messages: how many, and the first <paramref name="perQueue"/> (put back at the end).</summary>
    public async Task<IReadOnlyList<ParkedQueue>> ListAsync(IReadOnlyList<string> queues, int perQueue, CancellationToken ct)
    {
        await using var connection = await ConnectAsync(ct);
        try
        {
            var listed = new List<ParkedQueue>(queues.Count);
            foreach (var queue in queues)
            {
                listed.Add(await PeekAsync(connection, queue, perQueue, ct));
            }

            return listed;
        }
        catch (Exception e) when (IsBrokerFailure(e))
        {
            throw new BrokerUnavailableException($"RabbitMQ failed while its queues were read: {e.Message}", e, moved: 0);
        }
    }

    /// <summary>
    /// Moves up to <paramref name="max"/> messages, from the head of <paramref name="queue"/>'s <c>_error</c> queue back to
    /// it — never more than were parked when it began, so that one parked again meanwhile is not moved twice in one call.
    /// </summary>
    public async Task<Restored> RestoreAsync(string queue, int max, CancellationToken ct)
    {
        var errorQueue = ErrorQueueOf(queue);
        await using var connection = await ConnectAsync(ct);
        var moved = 0;
        try
        {
            await using var channel = await connection.CreateChannelAsync(Confirmed, ct);
            var parked = await CountAsync(channel, errorQueue, ct);
            var limit = Math.Min(max, parked ?? 0);
            while (moved < limit && await channel.BasicGetAsync(errorQueue, autoAck: false, ct) is { } message)
            {
                await PublishAsync(channel, queue, Copy(message.BasicProperties, keepFault: false), message.Body, ct);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
                moved++;
            }

            return new Restored(moved, parked is null ? 0 : await CountAsync(channel, errorQueue, ct) ?? 0);
        }
        catch (Exception e) when (IsBrokerFailure(e))
        {
            throw new BrokerUnavailableException(
                $"RabbitMQ failed after {moved} parked messages of {errorQueue} were moved back (each one moved is confirmed on {queue}): {e.Message}", e, moved);
        }
    }

    private async Task<IConnection> ConnectAsync(CancellationToken ct)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(options.Value.RabbitMqUri),
            ClientProvidedName = "parked-messages",
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
        };
        try
        {
            return await factory.CreateConnectionAsync(ct);
        }
        catch (BrokerUnreachableException e)
        {
            throw new BrokerUnavailableException("RabbitMQ does not accept connections.", e, moved: 0);
        }
    }

    private async Task<ParkedQueue> PeekAsync(IConnection connection, string queue, int take, CancellationToken ct)
    {
        var errorQueue = ErrorQueueOf(queue);
        await using var channel = await connection.CreateChannelAsync(Confirmed, ct);
        var count = await CountAsync(channel, errorQueue, ct) ?? 0;
        var first = new List<ParkedMessage>();
        // No further than the messages there were: the copies put back at the end are not looked at again.
        while (first.Count < Math.Min(take, count) && await channel.BasicGetAsync(errorQueue, autoAck: false, ct) is { } message)
        {
            first.Add(Describe(message));
            await PublishAsync(channel, errorQueue, Copy(message.BasicProperties, keepFault: true), message.Body, ct);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
        }

        return new ParkedQueue(queue, errorQueue, count, first);
    }

    /// <summary>Returns once the broker confirmed the copy; throws if it refused it, or did not confirm in time (a blocked broker).</summary>
    private async Task PublishAsync(IChannel channel, string queue, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        var timeout = options.Value.Outbox.PublishTimeout;
        using var confirmed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        confirmed.CancelAfter(timeout);
        try
        {
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, body, confirmed.Token);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"RabbitMQ did not confirm a message to {queue} within {timeout.TotalSeconds:0.#} s.", e);
        }
    }

    /// <returns>Messages ready in the queue; null when it does not exist (nothing was ever parked there), which closes the channel.</returns>
    private static async Task<int?> CountAsync(IChannel channel, string queue, CancellationToken ct)
    {
        try
        {
            return (int)(await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == NotFound)
        {
            return null;
        }
    }

    private static ParkedMessage Describe(BasicGetResult message)
    {
        var properties = message.BasicProperties;
        var headers = properties.Headers ?? new Dictionary<string, object?>();
        string? Header(string name) => headers.TryGetValue(name, out var value) ? Text(value) : null;

        return new ParkedMessage(
            MessageId: properties.MessageId ?? Header("MessageId"),
            MessageType: (Header("MT-MessageType") ?? Header("MT-Fault-MessageType"))?.Split(';')[0],
            FaultedAt: Header("MT-Fault-Timestamp") is { } time
                && DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
            ExceptionType: Header("MT-Fault-ExceptionType"),
            ExceptionMessage: Header("MT-Fault-Message"),
            ConsumerType: Header("MT-Fault-ConsumerType"),
            RetryCount: int.TryParse(Header("MT-Fault-RetryCount"), CultureInfo.InvariantCulture, out var retries) ? retries : 0,
            BodySize: message.Body.Length,
            ContentType: properties.ContentType);
    }

    /// <summary>
    /// The parked message's properties — content type, message and correlation ids, MassTransit's headers — for a copy:
    /// without the broker's delivery count and the client's publish sequence number (set afresh), and, for a copy going
    /// back to its consumer, without MassTransit's account of the fault (<c>MT-Fault-*</c>, <c>MT-Reason</c>, and the
    /// <c>MT-Host-*</c> fields describing the host it faulted on; the sender's <c>MT-Host-Info</c> stays).
    /// </summary>
    private static BasicProperties Copy(IReadOnlyBasicProperties parked, bool keepFault) => new(parked)
    {
        Headers = parked.Headers?.Where(h => !IsBookkeeping(h.Key) && (keepFault || !IsFault(h.Key))).ToDictionary(h => h.Key, h => h.Value),
        Persistent = true,
    };

    private static bool IsBookkeeping(string header) => header is "x-delivery-count" or Constants.PublishSequenceNumberHeader;

    private static bool IsFault(string header) =>
        header.StartsWith("MT-Fault-", StringComparison.Ordinal)
        || header == "MT-Reason"
        || (header.StartsWith("MT-Host-", StringComparison.Ordinal) && header != "MT-Host-Info");

    private static string? Text(object? value) => value switch
    {
        null => null,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        AmqpTimestamp time => DateTimeOffset.FromUnixTimeSeconds(time.UnixTime).ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static bool IsBrokerFailure(Exception e) =>
        e is OperationInterruptedException or AlreadyClosedException or PublishException or BrokerUnreachableException or TimeoutException
            or System.IO.IOException;
}
