using System.Globalization;
using RabbitMQ.Client;

namespace CreditBank.LoadGenerator.Drill;

/// <summary>A queue as <c>rabbitmqctl list_queues</c> shows it; the cluster also names its type, leader and members.</summary>
/// <param name="Messages">Ready and unacknowledged: a message a consumer holds (or retries) still counts.</param>
public sealed record QueueState(string Name, long Messages, string? Type = null, string? Leader = null, string? Members = null, string? Online = null)
{
    /// <summary>Queues the bank's endpoints declare (<c>credit-bank-…</c>), not a bus's own temporary queue.</summary>
    public bool IsBanks => Name.StartsWith("credit-bank-", StringComparison.Ordinal);

    /// <summary>Where MassTransit parks what failed (<c>_error</c>) or what nobody consumes (<c>_skipped</c>).</summary>
    public bool IsParking => Name.EndsWith("_error", StringComparison.Ordinal) || Name.EndsWith("_skipped", StringComparison.Ordinal);

    /// <summary>A queue a consumer of the bank reads.</summary>
    public bool IsConsumerQueue => IsBanks && !IsParking;

    /// <summary>The nodes a quorum queue is replicated on (rabbitmqctl prints <c>[a@host,b@host]</c>).</summary>
    public IReadOnlyList<string> MemberNodes => (Members ?? string.Empty).Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// The broker as its operator sees it, through rabbitmqctl: <c>scripts/infra.sh rabbitmq-queues</c> for the one node
/// the tests and the drill run, <c>scripts/rabbitmq-cluster.sh queues</c> for the three-node cluster.
/// </summary>
public sealed class Broker(Script script, string queuesCommand, string amqpUri, IReadOnlyList<string>? nodes = null)
{
    public static Broker Single(string amqpUri) => new(Script.Infra, "rabbitmq-queues", amqpUri);

    /// <param name="nodes">Every node (<c>host:port</c>): a client connects to one that is up.</param>
    public static Broker Cluster(Script clusterScript, string amqpUri, IReadOnlyList<string> nodes) => new(clusterScript, "queues", amqpUri, nodes);

    /// <summary>Where clients connect (user, password and virtual host).</summary>
    public string AmqpUri => amqpUri;

    /// <summary>A plain AMQP connection, as an operator's tool opens one: to the first node that answers.</summary>
    public async Task<IConnection> ConnectAsync(string name, CancellationToken ct = default)
    {
        var factory = new ConnectionFactory { Uri = new Uri(amqpUri) };
        return nodes is { Count: > 0 }
            ? await factory.CreateConnectionAsync(nodes.Select(n => AmqpTcpEndpoint.Parse(n)).ToList(), name, ct)
            : await factory.CreateConnectionAsync(name, ct);
    }

    public string VirtualHost => Uri.UnescapeDataString(new Uri(amqpUri).AbsolutePath.TrimStart('/')) is { Length: > 0 } vhost ? vhost : "/";

    public async Task<IReadOnlyList<QueueState>> QueuesAsync()
    {
        var output = await script.RunAsync(queuesCommand, VirtualHost);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(f => f.Length >= 2)
            .Select(f => f.Length >= 6
                ? new QueueState(f[0], Count(f[2]), f[1], f[3], f[4], f[5])
                : new QueueState(f[0], Count(f[1])))
            .ToList();
    }

    private static long Count(string text) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
