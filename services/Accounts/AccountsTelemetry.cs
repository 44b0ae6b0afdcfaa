using System.Diagnostics.Metrics;

namespace CreditBank.Accounts;

/// <summary>
/// Accounts' meter <c>CreditBank.Accounts</c>: where account summaries were read from (<c>creditbank.accounts.summary_reads</c>,
/// <c>source</c> = memory, redis or database), from which the cache's hit rate follows. Exported when telemetry is
/// (shared/Grpc/Telemetry.cs).
/// </summary>
public sealed class AccountsTelemetry
{
    public const string Name = "CreditBank.Accounts";

    private static readonly KeyValuePair<string, object?> FromMemory = new("source", "memory");
    private static readonly KeyValuePair<string, object?> FromRedis = new("source", "redis");
    private static readonly KeyValuePair<string, object?> FromDatabase = new("source", "database");

    private readonly Counter<long> _summaryReads;

    public AccountsTelemetry(IMeterFactory meters)
    {
        _summaryReads = meters.Create(Name).CreateCounter<long>("creditbank.accounts.summary_reads", "{read}",
            "GetAccount's summaries by where they were found: this replica's memory, Redis, or (a miss, or no cache) the database.");
    }

    internal void ReadFromMemory() => _summaryReads.Add(1, FromMemory);

    internal void ReadFromRedis() => _summaryReads.Add(1, FromRedis);

    internal void ReadFromDatabase() => _summaryReads.Add(1, FromDatabase);
}
