using System.Text;
using CreditBank.Contracts.Events;
using CreditBank.Messaging;
using CreditBank.Recognition.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace CreditBank.Integration.Tests;

/// <summary>
/// An event reaches RabbitMQ exactly as the outbox stored it: the relay neither reads a body back into objects nor
/// wraps it in MassTransit's envelope, and consumers read it as such (the other stories here show they credit it).
/// </summary>
public sealed class EventsOnTheWire(DistributedBankHost bank)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_recognised_outcome_is_published_with_the_outbox_body_as_it_was_stored_and_its_event_id_as_message_and_correlation_id()
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(RealInfrastructure.RabbitMq) }.CreateConnectionAsync(_ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: _ct);
        var queue = (await channel.QueueDeclareAsync(exclusive: true, cancellationToken: _ct)).QueueName;
        var exchange = $"{typeof(OutcomesRecognised).Namespace}:{nameof(OutcomesRecognised)}";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, cancellationToken: _ct);
        await channel.QueueBindAsync(queue, exchange, routingKey: "", cancellationToken: _ct);

        var answer = await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: Requests.ResidentId(261), credits: 3), cancellationToken: _ct);

        var delivered = await Eventually.Until(async () =>
        {
            while (await channel.BasicGetAsync(queue, autoAck: true, _ct) is { } message)
            {
                if (Encoding.UTF8.GetString(message.Body.Span).Contains(answer.OutcomeId, StringComparison.Ordinal))
                {
                    return message;
                }
            }

            return null;
        }, m => m is not null, TimeSpan.FromSeconds(30), "the outcome's event on RabbitMQ");
        var stored = await StoredAsync(Guid.Parse(delivered!.BasicProperties.MessageId!));

        Assert.Equal("application/vnd.creditbank.event+json", delivered.BasicProperties.ContentType);
        Assert.Equal(stored.Body, Encoding.UTF8.GetString(delivered.Body.Span));
        Assert.Equal(stored.Id.ToString(), delivered.BasicProperties.CorrelationId);
        // Consumers take the event's type from the first message type named.
        var messageTypes = Encoding.UTF8.GetString((byte[])delivered.BasicProperties.Headers!["MT-MessageType"]!).Split(';');
        Assert.Equal($"urn:message:CreditBank.Contracts.Events:{stored.Type.Split('.')[^1]}", messageTypes[0]);
    }

    private async Task<OutboxMessage> StoredAsync(Guid eventId)
    {
        await using var scope = bank.Recognition.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecognitionDb>();
        return await db.Set<OutboxMessage>().AsNoTracking().SingleAsync(m => m.Id == eventId, _ct);
    }
}
