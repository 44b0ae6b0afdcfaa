using System.Diagnostics;
using CreditBank.LoadGenerator.Fleet;
using CreditBank.LoadGenerator.Scenarios;

namespace CreditBank.LoadGenerator.Drill;

/// <summary>How big a drill is. <c>full</c> is what docs/reliability.md reports; <c>quick</c> tries the whole harness in minutes.</summary>
/// <param name="BatchLines">Lines of each phase's batch (shared out between three institutions).</param>
/// <param name="SubmitsPerSecond">Single submits offered per second while a phase runs.</param>
/// <param name="RevokeEverySubmit">Every n-th submit is revoked right after its answer.</param>
/// <param name="RevokeEveryBatchLine">Every n-th batch line is revoked as soon as it is stored.</param>
/// <param name="ServiceDown">How long a killed service stays down before it is started again.</param>
/// <param name="BrokerDown">How long RabbitMQ stays stopped.</param>
/// <param name="StoreDown">How long a killed Redis or PostgreSQL stays down.</param>
public sealed record DrillSizes(string Name, long BatchLines, double SubmitsPerSecond, int RevokeEverySubmit, int RevokeEveryBatchLine,
    TimeSpan ServiceDown, TimeSpan BrokerDown, TimeSpan StoreDown)
{
    public static readonly DrillSizes Full = new("full", 100_000, 25, 5, 50, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(3));

    public static readonly DrillSizes Quick = new("quick", 10_000, 20, 5, 20, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(2));

    public static DrillSizes Named(string name) => name switch
    {
        "full" => Full,
        "quick" => Quick,
        _ => throw new ArgumentException($"Unknown size '{name}': use full or quick."),
    };

    /// <summary>Phase <paramref name="phase"/>'s load: learners and courses of its own, so that no phase repeats another's outcomes.</summary>
    public DrillLoadOptions Load(int phase) => new(
        new BatchPipelineOptions(BatchLines, PerLearner: 5, FirstLearner: 10_000_000 + phase * 1_000_000L, Timeout: TimeSpan.Zero),
        new SubmitOptions(FirstLearner: 30_000_000 + phase * 100_000L, Learners: 5_000, FirstCourse: 1_000 + phase * 1_000_000L, CreditTimeout: TimeSpan.Zero),
        SubmitsPerSecond, RevokeEverySubmit, RevokeEveryBatchLine);

    /// <summary>The faults, one per phase, in the order they are drilled.</summary>
    public IReadOnlyList<Fault> Faults() =>
    [
        Fault.KillService("Accounts", ServiceDown),
        Fault.KillService("Recognition", ServiceDown),
        Fault.KillService("Conversion", ServiceDown),
        Fault.KillService("Identity", ServiceDown),
        Fault.StopBroker(BrokerDown),
        Fault.KillRedis(StoreDown),
        Fault.KillPostgres(StoreDown),
    ];
}

/// <summary>
/// <c>make drill</c>: the four services as separate Release processes on real RabbitMQ, PostgreSQL and Redis; one phase
/// per fault, each under its own load and followed by the audit; then the same on a three-node RabbitMQ cluster with a
/// node stopped mid-batch. Writes docs/reliability.md; the exit code is 0 only when every figure is right.
/// </summary>
public static class ReliabilityDrill
{
    /// <summary>Three trusted institutions, as make bench has them.</summary>
    private static readonly string[] Institutions = ["4150012608", "4150010611", "4151013671"];

    private static readonly TimeSpan QuiesceTimeout = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(string repository, DrillSizes size, string output, string workFolder, IReadOnlyCollection<string> parts)
    {
        var infrastructure = Infrastructure.FromEnvironment();
        var run = new DrillRun
        {
            Size = size,
            StartedAt = DateTimeOffset.UtcNow,
            Commit = DrillRun.CommitOf(repository),
        };
        var clock = Stopwatch.StartNew();
        var ports = FleetPorts.ForBroker(infrastructure.RabbitMq);
        Say($"make drill ({size.Name}): work folder {workFolder}; services on ports {ports.Identity}-{ports.Conversion + 1}");
        var faults = size.Faults().Where(f => parts.Contains(f.Key)).ToList();
        var phase = 0;
        if (faults.Count > 0)
        {
            await Step(run, "faults", async () =>
            {
                Say("starting identity, accounts, conversion and recognition (Release, one process each)");
                await using var bank = await DistributedBank.StartAsync(repository, infrastructure, Path.Combine(workFolder, "fleet"), Institutions, ports, "drill");
                var broker = Broker.Single(infrastructure.RabbitMq);
                var (parking, poison) = await ParkingWatch.PoisonAsync(broker, TimeSpan.FromMinutes(1));
                run.PoisonedQueues = parking.Poison.Count;
                run.PoisonProblems.AddRange(poison);
                Say($"poison: one malformed message in each of {parking.Poison.Count} consumer queues; {(poison.Count == 0 ? "each is in its _error queue" : string.Join("; ", poison))}");
                foreach (var fault in faults)
                {
                    var options = new PhaseOptions(fault, size.Load(phase++), StrikeAt: 0.4, SubmitAfterRestore: TimeSpan.FromSeconds(10), QuiesceTimeout);
                    if (!await Step(run, fault.Key, async () => run.Phases.Add(await DrillPhase.RunAsync(new DrillTarget(bank, broker, parking), options, Say))))
                    {
                        await Step(run, $"{fault.Key}: healing", () => HealAsync(bank));
                    }
                }
            });
        }

        if (parts.Contains("cluster"))
        {
            await Step(run, "cluster", async () => run.Cluster = await ClusterDrill.RunAsync(repository, infrastructure, workFolder, ports, Institutions,
                size.Load(phase), QuiesceTimeout, Say));
        }

        run.Duration = clock.Elapsed;
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, ReliabilityReport.Markdown(run));
        Say($"wrote {output} in {run.Duration.TotalMinutes:0.0} min: {(run.Passed ? "every figure is right" : "FAILED: " + string.Join("; ", run.Failures()))}");
        return run.Passed ? 0 : 1;
    }

    private static async Task<bool> Step(DrillRun run, string name, Func<Task> body)
    {
        try
        {
            await body();
            return true;
        }
        catch (Exception e)
        {
            Say($"{name}: FAILED: {e}");
            run.Errors.Add($"{name}: {e.GetType().Name}: {e.Message}");
            return false;
        }
    }

    /// <summary>After a phase that broke off: every store up again (infra.sh up starts what is not running), every service too.</summary>
    private static async Task HealAsync(DistributedBank bank)
    {
        await Script.Infra.RunAsync("up");
        foreach (var service in bank.Services.Where(s => s.HasExited).Select(s => s.Name).ToList())
        {
            await bank.StartAgainAsync(service, TimeSpan.FromMinutes(5));
        }
    }

    private static void Say(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}
