using System.Runtime.CompilerServices;
using CreditBank.Contracts.Events;
using CreditBank.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditBank.Messaging;

/// <summary>
/// Publishes a service's committed outbox rows through MassTransit and marks each one only after the broker confirmed it.
/// </summary>
/// <remarks>
/// Rows are claimed by setting a lock time (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so replicas share the work;
/// SQLite has one writer and one relay). A relay that dies leaves its rows locked until the lock expires; another round
/// then takes them again. A row may therefore be published twice, never lost: consumers' inboxes absorb the repeat.
/// </remarks>
internal sealed partial class OutboxRelay<TDb>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal<TDb> signal,
    ServiceDatabaseInfo<TDb> database,
    IOptions<MessagingOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<OutboxRelay<TDb>> logger) : BackgroundService
    where TDb : DbContext
{
    private readonly OutboxOptions _options = options.Value.Outbox;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Start publishing once every hosted service (migrations, the bus) has started.
        await WhenStarted(stoppingToken);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int published;
                do
                {
                    published = await RelayOnceAsync(stoppingToken);
                }
                // A round is cut short by BatchSize or MaxBatchBytes: go on until a round finds nothing (or fails).
                while (published > 0 && !stoppingToken.IsCancellationRequested);

                failures = 0;
                if (await signal.WaitAsync(_options.PollInterval, stoppingToken) && _options.WakeDelay > TimeSpan.Zero)
                {
                    // Woken by a commit: let the commits of the next moment join this round. Under load a round then
                    // carries many rows for its two statements and two commits, instead of one row each.
                    await Task.Delay(_options.WakeDelay, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                LogRelayFailed(e, database.ServiceName, failures);
                await Task.Delay(Backoff(failures), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>One round: claim a batch, publish it concurrently, record the outcome of each row.</summary>
    internal async Task<int> RelayOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = await OutboxClaim.TakeAsync(db, database.Provider, now, _options, ct);
        if (rows.Count == 0)
        {
            return 0;
        }

        var results = await Task.WhenAll(rows.Select(row => PublishAsync(row, ct)));
        var published = rows.Where((_, i) => results[i] is null).Select(r => r.Sequence).ToList();
        if (published.Count > 0)
        {
            var at = time.GetUtcNow().ToUnixTimeMilliseconds();
            await db.Set<OutboxMessage>().Where(m => published.Contains(m.Sequence))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.PublishedAtMs, at).SetProperty(m => m.LockedUntilMs, (long?)null), ct);
        }

        for (var i = 0; i < rows.Count; i++)
        {
            if (results[i] is { } error)
            {
                var row = rows[i];
                var retryAt = time.GetUtcNow().Add(Backoff(row.Attempts)).ToUnixTimeMilliseconds();
                var message = error.Length > 2000 ? error[..2000] : error;
                await db.Set<OutboxMessage>().Where(m => m.Sequence == row.Sequence)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntilMs, retryAt).SetProperty(m => m.LastError, message), ct);
            }
        }

        if (published.Count < rows.Count)
        {
            LogSomeNotPublished(database.ServiceName, rows.Count - published.Count, rows.Count);
        }

        return published.Count == rows.Count ? rows.Count : 0;
    }

    /// <returns>Null when the broker confirmed; otherwise what went wrong.</returns>
    private async Task<string?> PublishAsync(ClaimedOutboxRow row, CancellationToken ct)
    {
        var type = EventJson.Contracts.GetType(row.Type);
        if (type is null)
        {
            return $"Unknown event type {row.Type}: not in CreditBank.Contracts.";
        }

        try
        {
            // The body goes out as stored (EventJson). The object only routes the publish to its type's exchange: it is
            // neither filled in nor serialised, so a chunk's event is not read back into objects to be written again.
            var route = RuntimeHelpers.GetUninitializedObject(type);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_options.PublishTimeout);
            await bus.Publish(route, type, Pipe.Execute<PublishContext>(context =>
            {
                context.MessageId = row.Id;
                // What MassTransit's convention took from the event's EventId while it read the message itself.
                context.CorrelationId = row.Id;
                context.Serializer = new EventJsonSerializer(row.Body);
            }), timeout.Token);
            return null;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    private static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(attempts, 10) - 1)));

    private Task WhenStarted(CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(ct);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Outbox relay of {Service} failed ({Failures} in a row); retrying")]
    private partial void LogRelayFailed(Exception exception, string service, int failures);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "Outbox relay of {Service}: {Failed} of {Taken} events not confirmed by the broker; they stay pending and are retried")]
    private partial void LogSomeNotPublished(string service, int failed, int taken);
}
