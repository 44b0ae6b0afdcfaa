using CreditBank.LoadGenerator.Fleet;

namespace CreditBank.LoadGenerator.Measures;

/// <summary>CPU seconds used per part of the system (each service, the database, the broker, the cache, the load generator).</summary>
public sealed class CpuMeter(IReadOnlyDictionary<string, Func<double>> parts)
{
    /// <summary>The parts every run has, plus the services' own processes.</summary>
    public static CpuMeter For(IEnumerable<(string Name, Func<int> Pid)> services)
    {
        var parts = new Dictionary<string, Func<double>>();
        foreach (var (name, pid) in services)
        {
            parts[name] = () => ProcessTable.CpuSeconds(pid());
        }

        // Only this run's servers (scripts/infra.sh's state folder), not others that may share the machine.
        var state = Environment.GetEnvironmentVariable("CREDITBANK_INFRA_DIR");
        var redisPort = Environment.GetEnvironmentVariable("CREDITBANK_TEST_REDIS")?.Split(':').LastOrDefault();
        parts["PostgreSQL"] = () => state is null
            ? ProcessTable.CpuSeconds(c => c.StartsWith("postgres", StringComparison.Ordinal))
            : ProcessTable.CpuSecondsOfFamily(Path.Combine(state, "postgres", "data", "postmaster.pid"));
        parts["RabbitMQ"] = () => ProcessTable.CpuSeconds(c => c.Contains("beam.smp", StringComparison.Ordinal) && (state is null || c.Contains(state, StringComparison.Ordinal)));
        parts["Redis"] = () => ProcessTable.CpuSeconds(c => c.StartsWith("redis-server", StringComparison.Ordinal) && (redisPort is null || c.Contains($":{redisPort}", StringComparison.Ordinal)));
        parts["load generator"] = () => Environment.CpuUsage.TotalTime.TotalSeconds;
        return new CpuMeter(parts);
    }

    public IReadOnlyDictionary<string, double> Read() => parts.ToDictionary(p => p.Key, p => p.Value());

    /// <summary>CPU seconds each part used since <paramref name="before"/>.</summary>
    public IReadOnlyDictionary<string, double> Since(IReadOnlyDictionary<string, double> before) =>
        Read().ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key));
}
