using System.Net;
using System.Net.Sockets;
using CreditBank.Messaging;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CreditBank.Integration.Tests;

/// <summary>
/// The bank's consumer retry policy on a bus: a database that is away is waited out longer than the quick retries last,
/// and the writer conflicts that follow it are still retried; a conflict that never clears is parked after 8 retries.
/// The outage is real: the consumer connects to a PostgreSQL port nobody listens on.
/// </summary>
public sealed class ConsumerRetries
{
    [Fact]
    public async Task A_database_away_longer_than_the_quick_retries_is_waited_out_and_conflicts_after_it_are_still_retried()
    {
        // The quick retries are over in ~11 s; the outage lasts 25 s, then three conflicts follow.
        var script = new Script(outage: TimeSpan.FromSeconds(25), conflicts: 3);
        await using var provider = await StartAsync(script);
        var bus = provider.GetRequiredService<ITestHarness>();

        await bus.Bus.Publish(new Scripted(Guid.NewGuid()), TestContext.Current.CancellationToken);

        await script.Handled.Task.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        // Tried at 0, 5, 10, 15 and 20 s at least while away, then three conflicts, then handled.
        Assert.True(script.Attempts >= 5 + 3 + 1, $"{script.Attempts} attempts");
        Assert.False(await bus.Published.Any<Fault<Scripted>>(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_conflict_that_never_clears_is_parked_after_eight_retries()
    {
        var script = new Script(outage: TimeSpan.Zero, conflicts: int.MaxValue);
        await using var provider = await StartAsync(script);
        var bus = provider.GetRequiredService<ITestHarness>();

        await bus.Bus.Publish(new Scripted(Guid.NewGuid()), TestContext.Current.CancellationToken);

        Assert.True(await bus.Published.Any<Fault<Scripted>>(TestContext.Current.CancellationToken), "the message to be parked");
        Assert.Equal(1 + ConsumerRetryPolicy.QuickTries, script.Attempts);
        Assert.False(script.Handled.Task.IsCompleted);
    }

    private static async Task<ServiceProvider> StartAsync(Script script)
    {
        var provider = new ServiceCollection()
            .AddSingleton(script)
            .AddMassTransitTestHarness(x =>
            {
                x.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(2), testInactivityTimeout: TimeSpan.FromSeconds(20));
                x.AddConsumer<ScriptedConsumer>();
                x.UsingInMemory((context, cfg) =>
                {
                    ConsumerRetryPolicy.Use(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(true);
        await provider.GetRequiredService<ITestHarness>().Start();
        return provider;
    }

    public sealed record Scripted(Guid Id);

    /// <summary>What the consumer meets on each try: the database away until a moment, then a number of conflicts.</summary>
    public sealed class Script(TimeSpan outage, int conflicts)
    {
        private readonly DateTimeOffset _outageEnds = DateTimeOffset.UtcNow + outage;
        private int _conflictsLeft = conflicts;
        private int _attempts;

        public int ClosedPort { get; } = FindClosedPort();
        public TaskCompletionSource Handled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Attempts => Volatile.Read(ref _attempts);
        public bool DatabaseAway => DateTimeOffset.UtcNow < _outageEnds;

        public void Attempted() => Interlocked.Increment(ref _attempts);
        public bool Conflicts() => Interlocked.Decrement(ref _conflictsLeft) >= 0;

        private static int FindClosedPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }

    public sealed class ScriptedConsumer(Script script) : IConsumer<Scripted>
    {
        public async Task Consume(ConsumeContext<Scripted> context)
        {
            script.Attempted();
            if (script.DatabaseAway)
            {
                await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={script.ClosedPort};Username=creditbank;Timeout=2");
                await connection.OpenAsync(context.CancellationToken);
            }

            if (script.Conflicts())
            {
                throw new DbUpdateConcurrencyException("Another message claimed this version first.");
            }

            script.Handled.TrySetResult();
        }
    }
}
