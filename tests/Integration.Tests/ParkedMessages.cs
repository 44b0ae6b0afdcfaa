using System.Net;
using System.Text;
using CreditBank.Accounts;
using CreditBank.Accounts.Events;
using CreditBank.Contracts.Events;
using CreditBank.Contracts.Operations.V1;
using CreditBank.Identity;
using CreditBank.Messaging;
using CreditBank.Recognition.Data;
using Grpc.Core;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RabbitMQ.Client;

namespace CreditBank.Integration.Tests;

/// <summary>
/// What a consumer still failed on after every retry waits in its queue's <c>_error</c> queue, where an administrator
/// sees it (never its body) and, once the cause is put right, moves it back: deposits parked while accounts' ledger
/// table was away are banked exactly once after a restore; a message nobody can read is parked again.
/// </summary>
[Collection(typeof(RunsAlone))]
public sealed class ParkedMessages(DistributedBankHost bank)
{
    private static readonly TimeSpan Parking = TimeSpan.FromSeconds(60);

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private ParkedMessagesService.ParkedMessagesServiceClient Administrator => new(bank.Accounts.Channel.WithToken(bank.AdministratorToken));

    [Fact]
    public async Task Deposits_parked_while_the_ledger_table_was_away_are_listed_with_their_fault_and_banked_exactly_once_after_a_restore()
    {
        var queue = QueueOf<OutcomesRecognisedConsumer>();
        var learners = Enumerable.Range(520, 3).Select(Requests.ResidentId).ToList();
        var startedAt = DateTimeOffset.UtcNow;
        var consumedBefore = bank.Consumed.Count;
        var outcomes = new List<string>();
        Dictionary<string, int> events;

        await RenameLedgerTableAsync("ledger_entries", "ledger_entries_away");
        try
        {
            foreach (var learner in learners)
            {
                outcomes.Add((await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: learner, credits: 2), cancellationToken: _ct)).OutcomeId);
            }

            events = await PublishedEventsAsync(outcomes);
            var parked = await Eventually.Until(() => ListAsync(queue), q => events.Keys.All(id => q.Messages.Any(m => m.MessageId == id)),
                Parking, "the deposits to fail every retry and be parked");

            Assert.Equal(QueueOf<OutcomesRecognisedConsumer>() + "_error", parked.ErrorQueueName);
            Assert.True(parked.ParkedCount >= events.Count, $"{parked.ParkedCount} parked, {events.Count} expected at least");
            foreach (var message in parked.Messages.Where(m => events.ContainsKey(m.MessageId)))
            {
                Assert.Equal($"urn:message:{typeof(OutcomesRecognised).Namespace}:{nameof(OutcomesRecognised)}", message.MessageType);
                Assert.Equal("Npgsql.PostgresException", message.ExceptionType);
                Assert.Contains("relation \"ledger_entries\" does not exist", message.ExceptionMessage);
                // The consumer is handed the events that arrived together (ListEventConsumer): MassTransit names its batch of them.
                Assert.Contains($"BatchConsumer<{typeof(OutcomesRecognised).FullName}>", message.ConsumerType);
                Assert.Equal(8, message.RetryCount);
                Assert.InRange(message.FaultedAt.ToDateTimeOffset(), startedAt.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
                Assert.Equal(events[message.MessageId], message.BodySize);
                Assert.Equal("application/vnd.creditbank.event+json", message.ContentType);
            }
        }
        finally
        {
            await RenameLedgerTableAsync("ledger_entries_away", "ledger_entries");
        }

        await RestoreDiedHalfwayAsync(queue);
        var restored = await Administrator.RestoreParkedMessagesAsync(new() { QueueName = queue, MaxMessages = 1000 }, cancellationToken: _ct);

        Assert.True(restored.RestoredCount >= events.Count, $"{restored.RestoredCount} restored, {events.Count} expected at least");
        foreach (var learner in learners)
        {
            await bank.WaitForCreditsAsync(learner, 1, Parking);
        }

        // Every restored event, and the copy the interrupted restore had sent, consumed: the inbox absorbed the repeat.
        await Eventually.Until(() => Task.FromResult(bank.Consumed.Count), n => n >= consumedBefore + events.Count + 1, Parking, "the restored events to be consumed");
        var after = await Eventually.Until(() => ListAsync(queue), q => q.ParkedCount == 0, Parking, "the _error queue to be empty");
        Assert.Empty(after.Messages);
        Assert.Equal(0, (await Administrator.RestoreParkedMessagesAsync(new() { QueueName = queue, MaxMessages = 1000 }, cancellationToken: _ct)).RestoredCount);
        foreach (var (learner, outcome) in learners.Zip(outcomes))
        {
            var account = await bank.WaitForCreditsAsync(learner, 1);
            var ledger = await bank.Learners.ListLedgerEntriesAsync(new() { AccountId = account.Account.AccountId, PageSize = 100 }, cancellationToken: _ct);
            Assert.Equal(2, Assert.Single(ledger.Entries, e => e.OutcomeId == outcome).Credits);
        }
    }

    [Fact]
    public async Task A_message_that_cannot_be_read_as_its_type_is_parked_again_after_a_restore_and_still_listed()
    {
        var queue = QueueOf<OutcomeRevokedConsumer>();
        var messageId = Guid.NewGuid().ToString();
        await PublishToQueueAsync(queue, messageId, $"urn:message:{typeof(OutcomeRevoked).Namespace}:{nameof(OutcomeRevoked)}",
            """{"eventId": "not a revocation at al"""u8.ToArray());

        var first = await ParkedAsync(queue, messageId);
        // Read before any consumer, so without retries; MassTransit records the JSON reader's exception, not the one around it.
        Assert.Equal("System.Text.Json.JsonReaderException", first.ExceptionType);
        Assert.Contains("end of data", first.ExceptionMessage);
        Assert.Equal(("", 0), (first.ConsumerType, first.RetryCount));

        var restored = await Administrator.RestoreParkedMessagesAsync(new() { QueueName = queue, MaxMessages = 100 }, cancellationToken: _ct);
        Assert.True(restored.RestoredCount >= 1, "the poison message should have been moved back");

        var again = await Eventually.Until(() => ParkedAsync(queue, messageId), m => m.FaultedAt.ToDateTimeOffset() > first.FaultedAt.ToDateTimeOffset(),
            Parking, "the poison message to be parked again");
        Assert.Equal(first.ExceptionType, again.ExceptionType);
        Assert.True((await ListAsync(queue)).ParkedCount >= 1);
    }

    [Fact]
    public async Task The_consumer_queues_listed_are_the_ones_the_bus_registered_and_a_restore_names_one_of_them()
    {
        var names = bank.Accounts.Services.GetRequiredService<IEndpointNameFormatter>();
        var listed = await Administrator.ListParkedMessagesAsync(new() { MessagesPerQueue = 1 }, cancellationToken: _ct);

        Assert.Equal(
            new[] { names.Consumer<OutcomesRecognisedConsumer>(), names.Consumer<OutcomeRevokedConsumer>(), names.Consumer<CreditsConvertedConsumer>() }.Order(),
            listed.Queues.Select(q => q.QueueName));
        Assert.All(listed.Queues, q => Assert.Equal(q.QueueName + "_error", q.ErrorQueueName));

        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            Administrator.RestoreParkedMessagesAsync(new() { QueueName = "credit-bank-nowhere", MaxMessages = 1 }, cancellationToken: _ct).ResponseAsync);
        Assert.Equal((StatusCode.NotFound, "QUEUE_NOT_FOUND"), (unknown.StatusCode, unknown.ErrorInfo()?.Reason));
        var errorQueue = await Assert.ThrowsAsync<RpcException>(() =>
            Administrator.RestoreParkedMessagesAsync(new() { QueueName = listed.Queues[0].ErrorQueueName, MaxMessages = 1 }, cancellationToken: _ct).ResponseAsync);
        Assert.Contains($"Name the consumer queue ({listed.Queues[0].QueueName})", errorQueue.Status.Detail);

        var badCounts = await Assert.ThrowsAsync<RpcException>(() =>
            Administrator.RestoreParkedMessagesAsync(new() { QueueName = "", MaxMessages = 0 }, cancellationToken: _ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, badCounts.StatusCode);
        Assert.Equal(["queue_name:REQUIRED_FIELD", "max_messages:INVALID_MESSAGE_COUNT"], badCounts.FieldViolations().Select(v => $"{v.Field}:{v.Reason}"));
        var tooMany = await Assert.ThrowsAsync<RpcException>(() =>
            Administrator.ListParkedMessagesAsync(new() { MessagesPerQueue = 101 }, cancellationToken: _ct).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_MESSAGE_COUNT"), (tooMany.StatusCode, tooMany.ErrorInfo()?.Reason));
    }

    [Fact]
    public async Task Parked_messages_are_listed_and_restored_over_rest_too()
    {
        var queue = QueueOf<CreditsConvertedConsumer>();
        using var list = new HttpRequestMessage(HttpMethod.Get, $"/v1/parkedMessages?queue_name={queue}&messages_per_queue=5").WithToken(bank.AdministratorToken);
        using var listed = await bank.Accounts.Rest.SendAsync(list, _ct);
        using var restore = new HttpRequestMessage(HttpMethod.Post, $"/v1/queues/{queue}/parkedMessages:restore")
        {
            Content = new StringContent("""{"maxMessages": 10}""", Encoding.UTF8, "application/json"),
        }.WithToken(bank.AdministratorToken);
        using var restored = await bank.Accounts.Rest.SendAsync(restore, _ct);

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains($"\"errorQueueName\":\"{queue}_error\"", await listed.Content.ReadAsStringAsync(_ct));
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Contains($"\"queueName\":\"{queue}\"", await restored.Content.ReadAsStringAsync(_ct));
    }

    private string QueueOf<TConsumer>()
        where TConsumer : class, IConsumer =>
        bank.Accounts.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<TConsumer>();

    private async Task<ParkedQueue> ListAsync(string queue) =>
        (await Administrator.ListParkedMessagesAsync(new() { QueueName = queue, MessagesPerQueue = 100 }, cancellationToken: _ct)).Queues.Single();

    private async Task<ParkedMessage> ParkedAsync(string queue, string messageId) =>
        (await Eventually.Until(async () => (await ListAsync(queue)).Messages.FirstOrDefault(m => m.MessageId == messageId), m => m is not null,
            Parking, $"message {messageId} to be parked"))!;

    /// <summary>The events recognition published for these outcomes: event id → body size in bytes, as on the wire.</summary>
    private async Task<Dictionary<string, int>> PublishedEventsAsync(IReadOnlyList<string> outcomeIds)
    {
        await using var scope = bank.Recognition.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecognitionDb>();
        var events = new Dictionary<string, int>();
        foreach (var outcomeId in outcomeIds)
        {
            var stored = await db.Set<OutboxMessage>().AsNoTracking()
                .SingleAsync(m => m.Type.EndsWith(nameof(OutcomesRecognised)) && m.Body.Contains(outcomeId), _ct);
            events[stored.Id.ToString()] = Encoding.UTF8.GetByteCount(stored.Body);
        }

        return events;
    }

    /// <summary>Accounts' database loses (or gets back) its ledger table: every deposit fails until it is back.</summary>
    private async Task RenameLedgerTableAsync(string from, string to)
    {
        await using var connection = new NpgsqlConnection(bank.AccountsDatabase);
        await connection.OpenAsync(_ct);
        await using var rename = new NpgsqlCommand($"ALTER TABLE {from} RENAME TO {to}", connection);
        await rename.ExecuteNonQueryAsync(_ct);
    }

    /// <summary>A message straight onto a consumer queue, as a sender with the wrong idea of an event would put it there.</summary>
    private async Task PublishToQueueAsync(string queue, string messageId, string messageType, byte[] body)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(RealInfrastructure.RabbitMq) }.CreateConnectionAsync(_ct);
        await using var channel = await connection.CreateChannelAsync(Confirmed, _ct);
        var properties = new BasicProperties
        {
            MessageId = messageId,
            ContentType = EventJson.ContentType.MediaType,
            Persistent = true,
            Headers = new Dictionary<string, object?> { ["MT-MessageType"] = messageType },
        };
        await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, body, _ct);
    }

    /// <summary>
    /// What a restore leaves when its process dies after the broker confirmed the copy and before the parked message was
    /// acknowledged: the first parked message is on its queue again, and still parked.
    /// </summary>
    private async Task RestoreDiedHalfwayAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(RealInfrastructure.RabbitMq) }.CreateConnectionAsync(_ct);
        await using var channel = await connection.CreateChannelAsync(Confirmed, _ct);
        var parked = await channel.BasicGetAsync(queue + "_error", autoAck: false, _ct);
        Assert.NotNull(parked);
        var copy = new BasicProperties(parked.BasicProperties);
        copy.Headers?.Remove(Constants.PublishSequenceNumberHeader);
        await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, copy, parked.Body, _ct);
        // The channel closes without acknowledging: the parked message stays where it was.
    }

    private static readonly CreateChannelOptions Confirmed = new(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
}

/// <summary>Parked messages while RabbitMQ cannot be reached: the administrator hears so, and when to ask again.</summary>
public sealed class ParkedMessagesWithoutBroker
{
    [Fact]
    public async Task An_administrator_asking_while_rabbitmq_cannot_be_reached_hears_that_the_broker_is_unavailable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ServiceHost.StartAsync(b => b.AddIdentityProvider().AddAccounts(), a => a.MapIdentityProvider().MapAccounts(),
            new Dictionary<string, string?> { ["Messaging:Transport"] = "RabbitMq", ["Messaging:RabbitMqUri"] = $"amqp://guest:guest@127.0.0.1:{ClosedPort()}/" });
        var administrator = new ParkedMessagesService.ParkedMessagesServiceClient(
            host.Channel.WithToken(await Tokens.ForPersonAsync(host.Handler, "admin", "demo-admin")));

        var refused = await Assert.ThrowsAsync<RpcException>(() => administrator.ListParkedMessagesAsync(new(), cancellationToken: ct).ResponseAsync);

        Assert.Equal((StatusCode.Unavailable, "BROKER_UNAVAILABLE"), (refused.StatusCode, refused.ErrorInfo()?.Reason));
        Assert.NotNull(refused.GetRpcStatus()?.GetDetail<Google.Rpc.RetryInfo>());
    }

    /// <summary>A loopback port nothing listens on: one the system just gave out and took back.</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
