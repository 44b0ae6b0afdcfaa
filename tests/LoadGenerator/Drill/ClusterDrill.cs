using System.Globalization;
using System.Text.RegularExpressions;
using CreditBank.LoadGenerator.Fleet;

namespace CreditBank.LoadGenerator.Drill;

/// <summary>What the cluster drill found besides the phase's own figures: how the queues were replicated and led.</summary>
public sealed record ClusterResult(
    PhaseResult? Phase,
    int ConsumerQueues,
    int ReplicatedOnThree,
    string LeadersBefore,
    string LeadersAfter,
    string ConnectionsBefore,
    IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0 && Phase is { Passed: true };
}

/// <summary>
/// The bank on a real RabbitMQ cluster (scripts/rabbitmq-cluster.sh: three nodes on loopback, quorum queues replicated
/// on all three): the same load and audit as every phase, and in the middle of the batch the node the services are
/// connected to is stopped for good. Nothing may be lost or doubled, and crediting must go on on the two nodes left.
/// </summary>
public static partial class ClusterDrill
{
    public static async Task<ClusterResult> RunAsync(string repository, Infrastructure infrastructure, string workFolder, FleetPorts ports,
        IReadOnlyList<string> institutions, DrillLoadOptions load, TimeSpan quiesceTimeout, Action<string> say, CancellationToken ct = default)
    {
        var cluster = new Script(Path.Combine(repository, "scripts", "rabbitmq-cluster.sh"));
        var problems = new List<string>();
        say("cluster: starting three RabbitMQ nodes and joining them");
        var settings = ExportLines(await cluster.RunAsync("up"));
        try
        {
            var nodes = settings["CREDITBANK_CLUSTER_NODES"].Split(',');
            var onCluster = infrastructure with { RabbitMq = settings["CREDITBANK_CLUSTER_RABBITMQ"], RabbitMqClusterNodes = nodes };
            say($"cluster: starting the services against {string.Join(", ", nodes)}");
            await using var bank = await DistributedBank.StartAsync(repository, onCluster, Path.Combine(workFolder, "cluster-fleet"), institutions, ports, "drill_cluster");
            var broker = Broker.Cluster(cluster, onCluster.RabbitMq, nodes);
            var (parking, poisonProblems) = await ParkingWatch.PoisonAsync(broker, TimeSpan.FromMinutes(1), ct);
            problems.AddRange(poisonProblems);

            var queues = (await broker.QueuesAsync()).Where(q => q.IsConsumerQueue).ToList();
            var replicated = queues.Count(q => q.Type == "quorum" && q.MemberNodes.Count == 3);
            if (queues.Count == 0 || replicated != queues.Count)
            {
                problems.Add($"{replicated} of {queues.Count} consumer queues are quorum queues with a member on each of the three nodes");
            }

            var leadersBefore = Leaders(queues);
            var connectionsBefore = string.Empty;
            var fault = new Fault("cluster", "the RabbitMQ node the services are connected to stopped for good, mid-batch", async (_, _) =>
            {
                var perNode = Connections(await cluster.RunAsync("connections"));
                connectionsBefore = string.Join(", ", perNode.OrderBy(n => n.Key).Select(n => $"node {n.Key}: {n.Value}"));
                var node = perNode.OrderByDescending(n => n.Value).ThenBy(n => n.Key).First().Key;
                var stopping = DateTimeOffset.UtcNow;
                await cluster.RunAsync("stop-node", node.ToString(CultureInfo.InvariantCulture));
                return new Struck(stopping, string.Create(CultureInfo.InvariantCulture,
                    $"stopped node {node} (SIGTERM; its VM was gone {(DateTimeOffset.UtcNow - stopping).TotalSeconds:0} s later), which held the most client connections ({connectionsBefore}); queue leaders were {leadersBefore}"));
            });
            var phase = await DrillPhase.RunAsync(new DrillTarget(bank, broker, parking),
                new PhaseOptions(fault, load, StrikeAt: 0.4, SubmitAfterRestore: TimeSpan.FromSeconds(10), quiesceTimeout), say, ct);
            var after = (await broker.QueuesAsync()).Where(q => q.IsConsumerQueue).ToList();
            return new ClusterResult(phase, queues.Count, replicated, leadersBefore, Leaders(after), connectionsBefore, problems);
        }
        finally
        {
            say("cluster: stopping the nodes");
            await cluster.RunAsync("down");
        }
    }

    /// <summary>How many queues each node leads, e.g. <c>node 1: 4, node 2: 3</c>.</summary>
    private static string Leaders(IEnumerable<QueueState> queues) => string.Join(", ", queues
        .Where(q => !string.IsNullOrEmpty(q.Leader))
        .CountBy(q => NodeName().Match(q.Leader!) is { Success: true } m ? $"node {m.Groups[1].Value}" : q.Leader!)
        .OrderBy(l => l.Key, StringComparer.Ordinal)
        .Select(l => $"{l.Key}: {l.Value}"));

    /// <summary>Client connections per node, from <c>rabbitmq-cluster.sh connections</c> (<c>node&lt;TAB&gt;count</c> lines).</summary>
    private static Dictionary<int, int> Connections(string listing) => listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => line.Split('\t'))
        .Where(f => f.Length == 2)
        .ToDictionary(f => int.Parse(f[0], CultureInfo.InvariantCulture), f => int.Parse(f[1], CultureInfo.InvariantCulture));

    private static Dictionary<string, string> ExportLines(string output) => output.Split('\n')
        .Select(line => ExportLine().Match(line))
        .Where(m => m.Success)
        .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    [GeneratedRegex("^export ([A-Z_]+)='([^']*)'")]
    private static partial Regex ExportLine();

    [GeneratedRegex(@"creditbank-drill-([0-9])@")]
    private static partial Regex NodeName();
}
