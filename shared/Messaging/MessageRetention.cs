using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditBank.Messaging;

/// <summary>
/// Keeps a service's outbox and inbox from growing without bound: published outbox rows older than
/// <see cref="OutboxOptions.KeepPublished"/> and inbox rows older than <see cref="InboxOptions.KeepProcessed"/> are
/// deleted, a slice at a time, every <see cref="RetentionOptions.Interval"/>.
/// </summary>
/// <remarks>
/// Both retentions are days, far longer than any redelivery: the relay republishes a row within its lock timeout
/// (seconds), the broker redelivers within a restart (minutes), and a message parked in an <c>_error</c> queue was never
/// processed, so it has no inbox row to lose. Each delete is indexed (published and processed times).
/// </remarks>
internal sealed partial class MessageRetention<TDb>(
    IServiceScopeFactory scopes,
    IOptions<MessagingOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<MessageRetention<TDb>> logger) : BackgroundService
    where TDb : DbContext
{
    private readonly MessagingOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // After every hosted service has started: the tables exist once migrations ran.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        using var timer = new PeriodicTimer(_options.Retention.Interval, time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (outbox, inbox) = await PruneAsync(stoppingToken);
                if (outbox + inbox > 0)
                {
                    LogPruned(typeof(TDb).Name, outbox, inbox);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be away for a moment; the next round tries again.
                LogPruneFailed(e, typeof(TDb).Name);
            }

            try
            {
                await timer.WaitForNextTickAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: what is older than its retention, a slice per statement until none is left.</summary>
    internal async Task<(int Outbox, int Inbox)> PruneAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var published = now.Subtract(_options.Outbox.KeepPublished).ToUnixTimeMilliseconds();
        var processed = now.Subtract(_options.Inbox.KeepProcessed).ToUnixTimeMilliseconds();
        var slice = _options.Retention.SliceSize;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        int outbox = 0, inbox = 0, deleted;
        do
        {
            deleted = await db.Set<OutboxMessage>().Where(m => m.PublishedAtMs != null && m.PublishedAtMs < published)
                .OrderBy(m => m.PublishedAtMs).Take(slice).ExecuteDeleteAsync(ct);
            outbox += deleted;
        }
        while (deleted == slice);

        do
        {
            deleted = await db.Set<InboxMessage>().Where(m => m.ProcessedAtMs < processed)
                .OrderBy(m => m.ProcessedAtMs).Take(slice).ExecuteDeleteAsync(ct);
            inbox += deleted;
        }
        while (deleted == slice);

        return (outbox, inbox);
    }

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Pruned {Outbox} published outbox rows and {Inbox} inbox rows of {Database}")]
    private partial void LogPruned(string database, int outbox, int inbox);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Pruning the outbox and inbox of {Database} failed; the next round tries again")]
    private partial void LogPruneFailed(Exception exception, string database);
}
