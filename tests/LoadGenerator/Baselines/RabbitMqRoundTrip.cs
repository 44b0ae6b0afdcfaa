using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace CreditBank.LoadGenerator.Baselines;

public sealed record MessageRate(string What, int MessageBytes, long Messages, double Seconds)
{
    public double MessagesPerSecond => Messages / Seconds;
}

/// <summary>
/// Baseline: RabbitMQ with nothing of ours in between — persistent messages published with publisher confirms
/// (a window of confirms in flight) into a durable quorum queue (as MassTransit declares ours) and consumed with
/// manual acks and a prefetch, at the same time. The clock stops when the last message is consumed.
/// </summary>
public static class RabbitMqRoundTrip
{
    public static async Task<MessageRate> RunAsync(string uri, int messageBytes, long messages, int confirmsInFlight = 256, ushort prefetch = 500)
    {
        var factory = new ConnectionFactory { Uri = new Uri(uri) };
        await using var publisherConnection = await factory.CreateConnectionAsync("bench-baseline-publisher");
        await using var consumerConnection = await factory.CreateConnectionAsync("bench-baseline-consumer");
        var queue = $"bench.baseline.{Guid.NewGuid():N}";
        await using var publisher = await publisherConnection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });

        await using var consumer = await consumerConnection.CreateChannelAsync();
        await consumer.BasicQosAsync(0, prefetch, false);
        var consumed = 0L;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new AsyncEventingBasicConsumer(consumer);
        handler.ReceivedAsync += async (_, delivery) =>
        {
            await consumer.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            if (Interlocked.Increment(ref consumed) == messages)
            {
                done.TrySetResult();
            }
        };
        await consumer.BasicConsumeAsync(queue, autoAck: false, handler);

        var body = new byte[messageBytes];
        Random.Shared.NextBytes(body);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/octet-stream" };
        var clock = Stopwatch.StartNew();
        var window = new List<Task>(confirmsInFlight);
        for (var i = 0L; i < messages; i++)
        {
            window.Add(publisher.BasicPublishAsync(string.Empty, queue, mandatory: false, properties, body).AsTask());
            if (window.Count == confirmsInFlight)
            {
                await Task.WhenAll(window);
                window.Clear();
            }
        }

        await Task.WhenAll(window);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var seconds = clock.Elapsed.TotalSeconds;
        await publisher.QueueDeleteAsync(queue);
        return new MessageRate($"{messageBytes:N0}-byte persistent messages, quorum queue, {confirmsInFlight} confirms in flight, prefetch {prefetch}",
            messageBytes, messages, seconds);
    }
}
