using CreditBank.Contracts.Accounts.V1;
using Google.Protobuf;
using StackExchange.Redis;

namespace CreditBank.Accounts.Data;

/// <summary>An account summary as cached, with what ownership checks need (the learner who claimed it).</summary>
public sealed record CachedAccountSummary(GetAccountResponse Summary, string? ClaimedBy);

/// <summary>
/// A cache lookup: the entry if there is one, and what to quote when storing a fresh one: the generation in Redis and
/// the count of changes this replica had heard of for the account (<see cref="LocalSummaries"/>).
/// </summary>
public readonly record struct CacheLookup(CachedAccountSummary? Hit, long Generation, long ChangesHeard = 0);

/// <summary>Where account summaries are cached between changes; without Redis, nowhere.</summary>
/// <remarks>
/// Every committed change of an account bumps its generation and drops its entry in one step; a reader stores what it
/// read from the database only if the generation is still the one it saw before reading. So a read that raced a change
/// can never put the old summary back.
/// </remarks>
public interface IAccountSummaryCache
{
    /// <remarks>A <see cref="ValueTask{TResult}"/>: a warm read is answered from memory, without a task to allocate.</remarks>
    ValueTask<CacheLookup> GetAsync(Guid accountId);

    /// <summary>Stores what was read from the database after <paramref name="seen"/>, unless the account changed since.</summary>
    Task SetAsync(Guid accountId, CachedAccountSummary summary, CacheLookup seen);

    /// <summary>Called after every committed change of the account (a ledger entry, a claim).</summary>
    Task InvalidateAsync(Guid accountId);
}

/// <summary>The embedded default: every read goes to the database.</summary>
internal sealed class NoAccountSummaryCache(AccountsTelemetry telemetry) : IAccountSummaryCache
{
    public ValueTask<CacheLookup> GetAsync(Guid accountId)
    {
        telemetry.ReadFromDatabase();
        return ValueTask.FromResult(new CacheLookup(null, 0));
    }

    public Task SetAsync(Guid accountId, CachedAccountSummary summary, CacheLookup seen) => Task.CompletedTask;

    public Task InvalidateAsync(Guid accountId) => Task.CompletedTask;
}

/// <summary>
/// Summaries in Redis as a hash (protobuf bytes + owner) beside a generation counter; entries also expire. In front of
/// Redis, each replica keeps the summaries it read in <see cref="LocalSummaries"/>: a change announces the account on
/// <see cref="Changes"/>, and every replica forgets its copy.
/// </summary>
internal sealed partial class RedisAccountSummaryCache : IAccountSummaryCache
{
    /// <summary>The channel on which a change announces its account (16 bytes, the account id).</summary>
    public static readonly RedisChannel Changes = RedisChannel.Literal("creditbank:accounts:changed");

    private const int ExpirySeconds = 300;

    private static readonly RedisValue[] SummaryFields = ["summary", "claimed_by"];

    private static readonly LuaScript StoreIfCurrent = LuaScript.Prepare("""
        if tonumber(redis.call('GET', @generation) or '0') ~= tonumber(@seen) then return 0 end
        redis.call('DEL', @summary)
        if @owner ~= '' then
          redis.call('HSET', @summary, 'summary', @bytes, 'claimed_by', @owner)
        else
          redis.call('HSET', @summary, 'summary', @bytes)
        end
        redis.call('EXPIRE', @summary, @expiry)
        return 1
        """);

    private static readonly LuaScript Bump = LuaScript.Prepare(
        "redis.call('INCR', @generation) redis.call('EXPIRE', @generation, 86400) redis.call('DEL', @summary) " +
        "redis.call('PUBLISH', @channel, @account) return 1");

    private readonly IConnectionMultiplexer _redis;
    private readonly LocalSummaries _local;
    private readonly AccountsTelemetry _telemetry;
    private readonly ILogger<RedisAccountSummaryCache> _logger;

    /// <remarks>What this replica hears on <see cref="Changes"/> reaches <paramref name="local"/> through <see cref="AccountChanges"/>.</remarks>
    public RedisAccountSummaryCache(IConnectionMultiplexer redis, LocalSummaries local, AccountsTelemetry telemetry, ILogger<RedisAccountSummaryCache> logger)
    {
        _redis = redis;
        _local = local;
        _telemetry = telemetry;
        _logger = logger;
    }

    public ValueTask<CacheLookup> GetAsync(Guid accountId)
    {
        var heard = _local.ChangesHeard(accountId);
        if (_local.Find(accountId, out var refresh) is { } kept)
        {
            if (refresh)
            {
                _ = RefreshAsync(accountId, heard);
            }

            _telemetry.ReadFromMemory();
            return ValueTask.FromResult(new CacheLookup(kept, 0, heard));
        }

        return new ValueTask<CacheLookup>(ReadOrMissAsync(accountId, heard));
    }

    private async Task<CacheLookup> ReadOrMissAsync(Guid accountId, long heard)
    {
        try
        {
            var (hit, generation) = await ReadAsync(accountId, heard);
            if (hit is null)
            {
                _telemetry.ReadFromDatabase();
            }
            else
            {
                _telemetry.ReadFromRedis();
            }

            return new CacheLookup(hit, generation, heard);
        }
        catch (RedisException e)
        {
            // A cache outage slows reads down; it must not fail them. Generation -1 never matches: nothing is stored.
            LogCacheUnavailable(e);
            _telemetry.ReadFromDatabase();
            return new CacheLookup(null, -1);
        }
    }

    /// <summary>Reads the summary and its generation from Redis, and keeps the summary in this replica's memory.</summary>
    private async Task<(CachedAccountSummary? Hit, long Generation)> ReadAsync(Guid accountId, long heard)
    {
        // Two plain commands, pipelined on one connection and run in this order: the summary, then the generation.
        // A summary present is current (a change drops it in the same step as it bumps the generation), and the
        // generation is read before any database read it will guard.
        var database = _redis.GetDatabase();
        var summary = database.HashGetAsync(Key(accountId), SummaryFields);
        var generationValue = database.StringGetAsync(GenerationKey(accountId));
        await Task.WhenAll(summary, generationValue);
        var values = summary.Result;
        var generation = generationValue.Result is { IsNull: false } seen ? (long)seen : 0;
        var hit = values[0].IsNull
            ? null
            : new CachedAccountSummary(GetAccountResponse.Parser.ParseFrom((byte[])values[0]!), values[1].IsNull ? null : (string?)values[1]);
        if (hit is not null)
        {
            _local.Keep(accountId, hit, heard);
        }

        return (hit, generation);
    }

    /// <summary>
    /// Reads a kept summary again in the background (<see cref="LocalSummaries"/>): the reader that found it due is
    /// answered from memory meanwhile. If Redis no longer holds it, the kept one lapses and a later read goes to the
    /// database as usual.
    /// </summary>
    private async Task RefreshAsync(Guid accountId, long heard)
    {
        try
        {
            await ReadAsync(accountId, heard);
        }
        catch (Exception e)
        {
            LogRefreshFailed(e, accountId);
        }
    }

    public async Task SetAsync(Guid accountId, CachedAccountSummary summary, CacheLookup seen)
    {
        if (seen.Generation < 0)
        {
            return;
        }

        try
        {
            var stored = await _redis.GetDatabase().ScriptEvaluateAsync(StoreIfCurrent, new
            {
                summary = Key(accountId),
                generation = GenerationKey(accountId),
                seen = seen.Generation,
                bytes = summary.Summary.ToByteArray(),
                owner = summary.ClaimedBy ?? string.Empty,
                expiry = ExpirySeconds,
            });
            if ((int)stored == 1)
            {
                _local.Keep(accountId, summary, seen.ChangesHeard);
            }
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
            await _redis.GetDatabase().ScriptEvaluateAsync(Bump, new
            {
                summary = Key(accountId),
                generation = GenerationKey(accountId),
                channel = Changes.ToString(),
                account = accountId.ToByteArray(),
            });
        }
        catch (RedisException e)
        {
            // The expiry bounds the staleness; the change itself is already committed.
            LogCacheUnavailable(e);
        }
        finally
        {
            // This replica reads its own writes at once, without waiting for its own announcement.
            _local.Forget(accountId);
        }
    }

    /// <summary>The summary's key; the braces keep both of an account's keys in one Redis Cluster slot.</summary>
    public static RedisKey Key(Guid accountId) => $"creditbank:accounts:{{{accountId:N}}}:summary";

    private static RedisKey GenerationKey(Guid accountId) => $"creditbank:accounts:{{{accountId:N}}}:generation";

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Account summary cache unavailable; reading from the database")]
    private partial void LogCacheUnavailable(Exception exception);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Could not refresh the summary of account {AccountId} kept in memory; it lapses when its time is up")]
    private partial void LogRefreshFailed(Exception exception, Guid accountId);
}
