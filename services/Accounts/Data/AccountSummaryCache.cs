using CreditBank.Contracts.Accounts.V1;
using Google.Protobuf;
using StackExchange.Redis;

namespace CreditBank.Accounts.Data;

/// <summary>Where account summaries are cached between ledger changes; without Redis, nowhere.</summary>
public interface IAccountSummaryCache
{
    Task<GetAccountResponse?> GetAsync(Guid accountId);

    Task SetAsync(Guid accountId, GetAccountResponse summary);

    /// <summary>Called after every committed ledger change of the account.</summary>
    Task InvalidateAsync(Guid accountId);
}

/// <summary>The embedded default: every read goes to the database.</summary>
internal sealed class NoAccountSummaryCache : IAccountSummaryCache
{
    public Task<GetAccountResponse?> GetAsync(Guid accountId) => Task.FromResult<GetAccountResponse?>(null);

    public Task SetAsync(Guid accountId, GetAccountResponse summary) => Task.CompletedTask;

    public Task InvalidateAsync(Guid accountId) => Task.CompletedTask;
}

/// <summary>
/// Summaries in Redis as protobuf bytes. Invalidated after each ledger commit; the expiry bounds how stale an entry can
/// get if a process dies between its commit and its invalidation.
/// </summary>
internal sealed partial class RedisAccountSummaryCache(IConnectionMultiplexer redis, ILogger<RedisAccountSummaryCache> logger)
    : IAccountSummaryCache
{
    private static readonly TimeSpan Expiry = TimeSpan.FromMinutes(5);

    public async Task<GetAccountResponse?> GetAsync(Guid accountId)
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(Key(accountId));
            return value.HasValue ? GetAccountResponse.Parser.ParseFrom((byte[])value!) : null;
        }
        catch (RedisException e)
        {
            // A cache outage slows reads down; it must not fail them.
            LogCacheUnavailable(e);
            return null;
        }
    }

    public async Task SetAsync(Guid accountId, GetAccountResponse summary)
    {
        try
        {
            await redis.GetDatabase().StringSetAsync(Key(accountId), summary.ToByteArray(), Expiry);
        }
        catch (RedisException e)
        {
            LogCacheUnavailable(e);
        }
    }

    public async Task InvalidateAsync(Guid accountId)
    {
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(Key(accountId));
        }
        catch (RedisException e)
        {
            // The expiry bounds the staleness; the ledger itself is already committed.
            LogCacheUnavailable(e);
        }
    }

    public static string Key(Guid accountId) => $"creditbank:accounts:summary:{accountId:N}";

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Account summary cache unavailable; reading from the database")]
    private partial void LogCacheUnavailable(Exception exception);
}
