namespace CreditBank.Messaging;

public enum Transport
{
    /// <summary>MassTransit's in-memory transport: the embedded default, one process.</summary>
    InMemory,

    /// <summary>RabbitMQ with durable quorum queues and publisher confirms.</summary>
    RabbitMq,
}

/// <summary>Bound from <c>Messaging</c>.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    public Transport Transport { get; set; } = Transport.InMemory;

    /// <summary>e.g. <c>amqp://guest:guest@127.0.0.1:5672/</c>.</summary>
    public string RabbitMqUri { get; set; } = "amqp://guest:guest@localhost:5672/";

    /// <summary>
    /// A RabbitMQ cluster's nodes, <c>host:port</c> each (<c>Messaging:RabbitMqClusterNodes:0</c>, <c>:1</c> …): the bus
    /// connects to one of them and, when that node goes away, to another. User, password and virtual host still come
    /// from <see cref="RabbitMqUri"/>, whose host is then not used. Empty: the one host of <see cref="RabbitMqUri"/>.
    /// </summary>
    public string[] RabbitMqClusterNodes { get; set; } = [];

    /// <summary>Messages a consumer endpoint works on at once.</summary>
    public int ConcurrencyLimit { get; set; } = 16;

    /// <summary>How list-carrying events (up to a batch chunk: a quarter of a megabyte at 500 lines) are consumed.</summary>
    public ListEventOptions ListEvents { get; set; } = new();

    public OutboxOptions Outbox { get; set; } = new();

    public InboxOptions Inbox { get; set; } = new();

    public RetentionOptions Retention { get; set; } = new();
}

/// <summary>See <see cref="ListEventConsumer{TEvent}"/> and <see cref="ListEventConsumerDefinition{TConsumer}"/>.</summary>
public sealed class ListEventOptions
{
    /// <summary>Events handed to a consumer together at most.</summary>
    public int MessageLimit { get; set; } = 20;

    /// <summary>How long the first event of a delivery waits for company before it is handled.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Deliveries a consumer handles at once.</summary>
    public int ConcurrencyLimit { get; set; } = 2;

    /// <summary>Items (outcomes) one transaction takes, about: a batch chunk's size (recognition's <c>BatchChunkSize</c>).</summary>
    public int PartItems { get; set; } = 500;
}

public sealed class InboxOptions
{
    /// <summary>Processed messages' inbox rows older than this are deleted (<see cref="MessageRetention{TDb}"/>): far longer than any redelivery.</summary>
    public TimeSpan KeepProcessed { get; set; } = TimeSpan.FromDays(7);
}

public sealed class RetentionOptions
{
    /// <summary>How often published outbox rows and inbox rows past their retention are deleted.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Rows one delete statement takes at most, so that a backlog is cleared in short transactions.</summary>
    public int SliceSize { get; set; } = 10_000;
}

public sealed class OutboxOptions
{
    /// <summary>How often the relay looks for rows when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After a commit wakes the relay, how long it waits for more commits before it claims a round.</summary>
    public TimeSpan WakeDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Rows taken per round.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// Bytes of event bodies one relay round holds in memory at most (a round always takes at least one row). Each body
    /// is held about three times over while it is published: the text, the event, and the broker's message.
    /// </summary>
    public long MaxBatchBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>The longest a publish may wait for the broker's confirm.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A row taken but not marked published within this time is taken again (its relay died).</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Published rows older than this are deleted (<see cref="MessageRetention{TDb}"/>).</summary>
    public TimeSpan KeepPublished { get; set; } = TimeSpan.FromDays(7);
}
