using StackExchange.Redis;

namespace CreditBank.Accounts.Data;

/// <summary>
/// Listens, from start-up, for the accounts any replica changes (<see cref="RedisAccountSummaryCache.Changes"/>) and
/// has this replica's <see cref="LocalSummaries"/> forget them. Whatever is announced while a connection is down is
/// unknown, so the memory is cleared and serves again only once the subscription is back (the multiplexer subscribes
/// again when it reconnects).
/// </summary>
internal sealed partial class AccountChanges(IConnectionMultiplexer redis, LocalSummaries local, ILogger<AccountChanges> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var subscriber = redis.GetSubscriber();
        redis.ConnectionFailed += (_, _) => local.StopListening();
        redis.ConnectionRestored += (_, _) => ListenIfSubscribed(subscriber);
        try
        {
            await subscriber.SubscribeAsync(RedisAccountSummaryCache.Changes, (_, account) => local.Forget(new Guid((byte[])account!)));
        }
        catch (RedisException e)
        {
            LogNotListening(e);
        }

        ListenIfSubscribed(subscriber);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        local.StopListening();
        return Task.CompletedTask;
    }

    private void ListenIfSubscribed(ISubscriber subscriber)
    {
        if (subscriber.IsConnected(RedisAccountSummaryCache.Changes))
        {
            local.Listen();
        }
    }

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Not listening for account changes yet; summaries are not kept in memory until the subscription is back")]
    private partial void LogNotListening(Exception exception);
}
