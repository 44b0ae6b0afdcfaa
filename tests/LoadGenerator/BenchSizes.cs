namespace CreditBank.LoadGenerator;

/// <summary>How big a run is. <c>full</c> is what issue 6 asks for; <c>quick</c> tries the whole harness in a few minutes.</summary>
public sealed record BenchSizes(
    string Name,
    long BatchOutcomes,
    int SubmitCallers,
    TimeSpan SubmitDuration,
    double OfferedPerSecond,
    TimeSpan OfferedDuration,
    int ReadAccounts,
    long ReadEntries,
    TimeSpan ReadDuration,
    long ScaleAccounts,
    long ScaleEntries,
    long BaselineRows,
    long BaselineMessages)
{
    // 500/s offered for 10 s: long enough for the percentiles, short enough that a pipeline slower than 500/s drains
    // its backlog within the run (the backlog is what p99 then measures).
    public static readonly BenchSizes Full = new("full", 200_000, 64, TimeSpan.FromSeconds(15), 500, TimeSpan.FromSeconds(10),
        10_000, 500_000, TimeSpan.FromSeconds(10), 1_000_000, 20_000_000, 200_000, 200_000);

    public static readonly BenchSizes Quick = new("quick", 20_000, 32, TimeSpan.FromSeconds(8), 200, TimeSpan.FromSeconds(8),
        2_000, 100_000, TimeSpan.FromSeconds(4), 50_000, 1_000_000, 40_000, 40_000);

    public static BenchSizes Named(string name) => name switch
    {
        "full" => Full,
        "quick" => Quick,
        _ => throw new ArgumentException($"Unknown size '{name}': use full or quick."),
    };
}

/// <summary>Learner numbers each phase uses, apart, so that no phase's outcomes are duplicates of another's.</summary>
public static class LearnerRanges
{
    public const long Batch = 0;
    public const long Submits = 1_000_000;
    public const long SubmitPool = 10_000;
    public const long ReadSet = 2_000_000;
    public const long Scale = 3_000_000;
    public const long Warm = 900_000;
    public const long Credentials = 4_000_000;
    public const long Portal = 4_100_000;
}
