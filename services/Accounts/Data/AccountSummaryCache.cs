using CreditBank.Contracts.Accounts.V1;
using Google.Protobuf;
using StackExchange.Redis;

namespace CreditBank.Accounts.Data;

/// <summary>An account summary as cached, with what ownership checks need (the learner who claimed it).</summary>
public sealed record CachedAccountSummary(GetAccountResponse Summary, string? ClaimedBy);

/// <summary>Where account summaries are cached between ledger changes; without Redis, nowhere.</summary>
public interface IAccountSummaryCache
{
    Task<CachedAccountSummary?> GetAsync(Guid accountId);

    Task SetAsync(Guid accountId, CachedAccountSummary summary);

    /// <summary>Called after every committed change of the account (a ledger entry, a claim).</summary>
    Task InvalidateAsync(Guid accountId);
}

/// <summary>The embedded default: every read goes to the database.</summary>
internal sealed class NoAccountSummaryCache : IAccountSummaryCache
{
    public Task<CachedAccountSummary?> GetAsync(Guid accountId) => Task.FromResult<CachedAccountSummary?>(null);

    public Task SetAsync(Guid accountId, CachedAccountSummary summary) => Task.CompletedTask;

    public Task InvalidateAsync(Guid accountId) => Task.CompletedTask;
}

/// <summary>
/// Summaries in Redis as a hash (protobuf bytes + owner). Invalidated after each commit; the expiry bounds how stale an
/// entry can get if a process dies between its commit and its invalidation.
/// </summary>
internal sealed partial class RedisAccountSummaryCache(IConnectionMultiplexer redis, ILogger<RedisAccountSummaryCache> logger)
    : IAccountSummaryCache
{
    private static readonly TimeSpan Expiry = TimeSpan.FromMinutes(5);
    private static readonly RedisValue SummaryField = "summary";
    private static readonly RedisValue OwnerField = "claimed_by";

    public async Task<CachedAccountSummary?> GetAsync(Guid accountId)
    {
        try
        {
            var values = await redis.GetDatabase().HashGetAsync(Key(accountId), [SummaryField, OwnerField]);
            return values[0].HasValue
                ? new CachedAccountSummary(GetAccountResponse.Parser.ParseFrom((byte[])values[0]!), values[1].HasValue ? (string?)values[1] : null)
                : null;
        }
        catch (RedisException e)
        {
            // A cache outage slows reads down; it must not fail them.
            LogCacheUnavailable(e);
            return null;
        }
    }

    public async Task SetAsync(Guid accountId, CachedAccountSummary summary)
    {
        try
        {
            var db = redis.GetDatabase();
            var key = Key(accountId);
            var fields = summary.ClaimedBy is null
                ? new HashEntry[] { new(SummaryField, summary.Summary.ToByteArray()) }
                : [new(SummaryField, summary.Summary.ToByteArray()), new(OwnerField, summary.ClaimedBy)];
            var batch = db.CreateBatch();
            var set = batch.HashSetAsync(key, fields);
            var expire = batch.KeyExpireAsync(key, Expiry);
            batch.Execute();
            await Task.WhenAll(set, expire);
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
            // The expiry bounds the staleness; the change itself is already committed.
            LogCacheUnavailable(e);
        }
    }

    public static string Key(Guid accountId) => $"creditbank:accounts:summary:{accountId:N}";

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Account summary cache unavailable; reading from the database")]
    private partial void LogCacheUnavailable(Exception exception);
}
