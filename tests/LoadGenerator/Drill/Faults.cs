using CreditBank.LoadGenerator.Fleet;

namespace CreditBank.LoadGenerator.Drill;

/// <summary>When a fault struck and when the part it took away was back (serving, or accepting connections); what it found.</summary>
public sealed record FaultTimeline(DateTimeOffset Struck, DateTimeOffset Restored, string? Note = null)
{
    public TimeSpan Outage => Restored - Struck;
}

/// <summary>The moment the part was gone (the kill returned, the port closed), and what the fault found, if anything.</summary>
public sealed record Struck(DateTimeOffset At, string? Note = null)
{
    public static Struck Now(string? note = null) => new(DateTimeOffset.UtcNow, note);
}

/// <summary>
/// One part of the bank taken away and given back, as a crash or an operator would: a service killed with SIGKILL and
/// started again, RabbitMQ stopped and started, Redis or PostgreSQL killed with SIGKILL and started again. The stores
/// are those of scripts/infra.sh (its fault commands); a service is started again by the fleet, with the same settings.
/// </summary>
/// <param name="Key">Short name, for <c>DRILL_ONLY</c> and the report (<c>accounts</c>, <c>rabbitmq</c> …).</param>
/// <param name="Title">What happens, for the report.</param>
/// <param name="Strike">Takes the part away and gives it back; may say what it found (which node it stopped).</param>
public sealed record Fault(string Key, string Title, Func<DistributedBank, CancellationToken, Task<Struck>> Strike)
{
    /// <summary>kill -9 of the service, then, after <paramref name="down"/>, started again until it serves.</summary>
    public static Fault KillService(string service, TimeSpan down) => new(service.ToLowerInvariant(),
        $"kill -9 of {service.ToLowerInvariant()}, started again after {down.TotalSeconds:0} s", async (bank, ct) =>
        {
            await bank.KillAsync(service);
            var struck = Struck.Now();
            await Task.Delay(down, ct);
            // Started again with its backlog waiting: on two busy cores accounts took more than 2 minutes to answer SERVING.
            await bank.StartAgainAsync(service, TimeSpan.FromMinutes(5));
            // Identity is only needed for new tokens: show that it issues them again, and that they are accepted.
            return service == "Identity" ? struck with { Note = await bank.NewTokenIsAcceptedAsync() } : struck;
        });

    /// <summary>RabbitMQ stopped (every connection cut, the AMQP port closed) for <paramref name="down"/>, then started again.</summary>
    public static Fault StopBroker(TimeSpan down) => new("rabbitmq", $"RabbitMQ stopped for {down.TotalSeconds:0} s, then started", async (_, ct) =>
    {
        await Script.Infra.RunAsync("rabbitmq-stop");
        var struck = Struck.Now();
        await Task.Delay(down, ct);
        await Script.Infra.RunAsync("rabbitmq-start");
        return struck;
    });

    /// <summary>kill -9 of Redis; after <paramref name="down"/> started again, empty.</summary>
    public static Fault KillRedis(TimeSpan down) => new("redis", $"kill -9 of Redis, started again (empty) after {down.TotalSeconds:0} s", async (_, ct) =>
    {
        await Script.Infra.RunAsync("redis-kill");
        var struck = Struck.Now();
        await Task.Delay(down, ct);
        await Script.Infra.RunAsync("redis-start");
        return struck;
    });

    /// <summary>kill -9 of PostgreSQL's postmaster and every backend; after <paramref name="down"/> started again (crash recovery).</summary>
    public static Fault KillPostgres(TimeSpan down) => new("postgres",
        $"kill -9 of PostgreSQL (postmaster and backends), started again after {down.TotalSeconds:0} s (crash recovery)", async (_, ct) =>
        {
            await Script.Infra.RunAsync("postgres-kill");
            var struck = Struck.Now();
            await Task.Delay(down, ct);
            await Script.Infra.RunAsync("postgres-start");
            return struck;
        });

    public async Task<FaultTimeline> StrikeAsync(DistributedBank bank, CancellationToken ct)
    {
        var struck = await Strike(bank, ct);
        return new FaultTimeline(struck.At, DateTimeOffset.UtcNow, struck.Note);
    }
}
