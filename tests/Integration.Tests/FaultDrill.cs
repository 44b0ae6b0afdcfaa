using System.Reflection;
using CreditBank.LoadGenerator.Drill;
using CreditBank.LoadGenerator.Fleet;
using CreditBank.LoadGenerator.Scenarios;

namespace CreditBank.Integration.Tests;

/// <summary>
/// <c>make drill</c> in miniature (docs/reliability.md), with its own code: identity, recognition, accounts and
/// conversion as their own processes on the real infrastructure (a virtual host of their own on the tests' RabbitMQ),
/// poison in every consumer queue, then two phases under a batch, single submits and revocations issued at once —
/// accounts killed with SIGKILL mid-batch, then RabbitMQ stopped and started — each audited by outcome id in the
/// services' databases: nothing lost, nothing doubled, no revoked outcome usable, holdings equal to the ledger, nothing
/// parked but the poison.
/// </summary>
[Collection(typeof(RunsAlone))]
public sealed class FaultDrill
{
    private static readonly string[] Institutions = [Requests.TrustedCollege, "4150010611", "4151013671"];

    [Fact]
    public async Task Outcomes_and_their_immediate_revocations_come_through_a_killed_accounts_service_and_a_broker_restart_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var run = DateTime.UtcNow.ToString("HHmmss") + Guid.NewGuid().ToString("N")[..6];
        var virtualHost = $"drill-{run}";
        var work = Path.Combine(Path.GetTempPath(), "creditbank-tests", $"drill-{run}");
        await Script.Infra.RunAsync("rabbitmq-vhost", virtualHost);
        var rabbitMq = new UriBuilder(RealInfrastructure.RabbitMq) { Path = "/" + virtualHost }.Uri.ToString();
        var results = new List<PhaseResult>();
        var story = new List<string>();
        void Say(string line)
        {
            story.Add($"{DateTime.UtcNow:HH:mm:ss} {line}");
            TestContext.Current.SendDiagnosticMessage(line);
        }

        DistributedBank? bank = null;
        try
        {
            bank = await DistributedBank.StartAsync(Repository(), new Infrastructure(RealInfrastructure.Postgres, rabbitMq, RealInfrastructure.Redis), work,
                Institutions, FleetPorts.ForBroker(RealInfrastructure.RabbitMq), $"drilltest_{run}", BuildConfiguration());
            var broker = Broker.Single(rabbitMq);
            var (parking, poison) = await ParkingWatch.PoisonAsync(broker, TimeSpan.FromMinutes(1), ct);
            Say($"bank started; {parking.Poison.Count} consumer queues poisoned");
            Assert.True(poison.Count == 0, "Poisoning the consumer queues found:\n" + string.Join("\n", poison.Concat(story)));
            Assert.True(parking.Poison.Count >= 4, $"only {parking.Poison.Count} consumer queues were found to poison");

            Fault[] faults = [Fault.KillService("Accounts", TimeSpan.FromSeconds(1)), Fault.StopBroker(TimeSpan.FromSeconds(5))];
            foreach (var (fault, phase) in faults.Select((f, i) => (f, i)))
            {
                results.Add(await DrillPhase.RunAsync(new DrillTarget(bank, broker, parking),
                    new PhaseOptions(fault, Load(phase), StrikeAt: 0.4, SubmitAfterRestore: TimeSpan.FromSeconds(2), QuiesceTimeout: TimeSpan.FromMinutes(2)),
                    Say, ct));
            }
        }
        finally
        {
            if (bank is not null)
            {
                await bank.DisposeAsync();
                await bank.DropDatabasesAsync();
            }

            await Script.Infra.RunAsync("rabbitmq-vhost-delete", virtualHost);
            KeepLogs(work);
        }

        // Every problem whole, one a line (Assert.Empty would cut each string short), then how the drill went.
        var problems = results.SelectMany(r => r.Problems.Select(p => $"{r.Key}: {p}")).ToList();
        Assert.True(problems.Count == 0, "The drill found:\n" + string.Join("\n", problems.Concat(story)));
        Assert.All(results, r =>
        {
            Assert.Equal(r.Load.BatchLines + r.Load.SubmitsAnswered, r.Audit.Recognised);
            Assert.Equal(r.Audit.Recognised, r.Audit.Deposited);
            Assert.True(r.Audit.RevokedBeforeDeposit > 0, $"{r.Key}: no revocation raced its deposit");
        });
    }

    /// <summary>A small batch (3 × 500 lines), 20 submits a second; every 4th submit and every 10th line revoked at once.</summary>
    private static DrillLoadOptions Load(int phase) => new(
        new BatchPipelineOptions(1_500, PerLearner: 5, FirstLearner: 40_000_000 + phase * 100_000L, Timeout: TimeSpan.Zero),
        new SubmitOptions(FirstLearner: 41_000_000 + phase * 10_000L, Learners: 500, FirstCourse: phase * 1_000_000L, CreditTimeout: TimeSpan.Zero),
        SubmitsPerSecond: 20, RevokeEverySubmit: 4, RevokeEveryBatchLine: 10);

    /// <summary>The services run from the build this test was built with (make test: Debug).</summary>
    private static string BuildConfiguration() => typeof(FaultDrill).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static string Repository()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CreditBank.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException($"No CreditBank.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The services' logs join the other tests' (CREDITBANK_TEST_LOG), which make test searches for personal data.</summary>
    private static void KeepLogs(string work)
    {
        if (Environment.GetEnvironmentVariable("CREDITBANK_TEST_LOG") is { Length: > 0 } testLog && Directory.Exists(work))
        {
            foreach (var log in Directory.EnumerateFiles(work, "*.log"))
            {
                File.AppendAllText(testLog, File.ReadAllText(log));
            }
        }
    }
}
