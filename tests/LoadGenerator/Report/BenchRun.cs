using CreditBank.LoadGenerator.Baselines;
using CreditBank.LoadGenerator.Measures;
using CreditBank.LoadGenerator.Scenarios;

namespace CreditBank.LoadGenerator.Report;

/// <summary>A GetAccount run: which cache, how many callers, over which bank.</summary>
public sealed record ReadRun(string Bank, bool Cached, ClosedLoopResult Result);

/// <summary>CPU seconds per part of the system while one scenario ran, and how long it ran.</summary>
public sealed record CpuUse(string Scenario, double WallSeconds, IReadOnlyDictionary<string, double> Seconds);

/// <summary>An unmeasured warm-up: how many rounds of load it took until the services' JIT fell quiet.</summary>
/// <param name="JitCores">Cores the services' tiered-compilation threads used during the last round.</param>
public sealed record WarmUp(string Name, int Rounds, double Seconds, double JitCores);

/// <summary>The wait before a measured scenario until PostgreSQL's autovacuum had finished the clean-up of what came before.</summary>
/// <param name="Idle">False when the wait reached its limit with a vacuum still running.</param>
public sealed record Settle(string Scenario, double Seconds, bool Idle);

/// <summary>How the scale bank was made.</summary>
public sealed record GeneratedData(long Accounts, long LedgerEntries, double Seconds, string DatabaseSize);

/// <summary>Everything one <c>make bench</c> measured; what the report is written from. Missing parts were not run or failed.</summary>
public sealed class BenchRun
{
    /// <summary>A warm-up ends after a round in which the services' JIT used less than this (cores, all services together).</summary>
    public const double QuietJitCores = 0.02;

    public required string Size { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required string Commit { get; init; }

    public required IReadOnlyList<string> Machine { get; init; }

    public TimeSpan Duration { get; set; }

    public IReadOnlyList<InsertRate> PostgresBaseline { get; set; } = [];

    public MessageRate? RabbitMqBaseline { get; set; }

    public List<ClosedLoopResult> EmptyCalls { get; } = [];

    public BatchPipelineResult? Batch { get; set; }

    public Dictionary<string, double> BatchPeakMegabytes { get; } = [];

    public FeedReadResult? FeedRead { get; set; }

    public MaxRateResult? SubmitMax { get; set; }

    public OfferedLoadResult? Offered { get; set; }

    public List<ReadRun> Reads { get; } = [];

    public GeneratedData? ReadSet { get; set; }

    public GeneratedData? ScaleBank { get; set; }

    public MaxRateResult? ScaleSubmitMax { get; set; }

    public OfferedLoadResult? ScaleOffered { get; set; }

    public CredentialsResult? Credentials { get; set; }

    public PortalResult? Portal { get; set; }

    public IReadOnlyList<HotPath> HotPaths { get; set; } = [];

    /// <summary>Highest resident memory per service over the whole run.</summary>
    public Dictionary<string, double> PeakMegabytes { get; } = [];

    public List<CpuUse> Cpu { get; } = [];

    public List<string> Failures { get; } = [];

    public List<WarmUp> WarmUps { get; } = [];

    public List<Settle> Settles { get; } = [];

    /// <summary>Longest a measured scenario waits for autovacuum to finish.</summary>
    public static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(30);

    public void RecordPeak(string service, double megabytes) => PeakMegabytes[service] = Math.Max(PeakMegabytes.GetValueOrDefault(service), megabytes);
}
