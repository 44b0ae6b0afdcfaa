using CreditBank.Grpc.Memory;

namespace CreditBank.Accounts.Data;

/// <summary>
/// The account summaries this replica read from Redis, kept in its own memory so that a warm read needs no round trip.
/// Any replica's change of an account is announced through Redis (<see cref="RedisAccountSummaryCache.Changes"/>), and
/// every replica forgets the account when it hears it.
/// </summary>
/// <remarks>
/// A read that raced a change must not keep the old summary. So each account (by stripe) counts the changes heard; a
/// reader notes the count before it looks in Redis and keeps what it found only if the count has not moved — and looks
/// again after keeping it, since a change may be heard in between. While the subscription is down nothing is kept or
/// served: announcements made meanwhile are lost, so the memory is cleared and filled again once it is back.
/// <para>
/// A kept summary is served for at most <see cref="MaxAge"/>. Once it is older than its refresh time (a random time
/// between <see cref="RefreshFrom"/> and <see cref="RefreshTo"/>), one reader is asked to read it again from Redis in the
/// background, while every reader is still answered from memory: readers of a warm account never wait for Redis, and
/// summaries read together (a replica warming up) are read again apart.
/// </para>
/// </remarks>
public sealed class LocalSummaries(TimeProvider time)
{
    /// <summary>How long a summary is kept at most: a bound on staleness should an announcement be lost unnoticed.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    /// <summary>The earliest a kept summary is read again from Redis.</summary>
    public static readonly TimeSpan RefreshFrom = MaxAge / 2;

    /// <summary>The latest a kept summary is read again from Redis, if it is read at all by then.</summary>
    public static readonly TimeSpan RefreshTo = MaxAge * 0.75;

    /// <summary>Most summaries kept at once (a summary is well under a kilobyte).</summary>
    public const int MaxCount = 20_000;

    private const int Stripes = 4096;

    private readonly ExpiringEntries<Guid, Kept> _summaries = new(MaxCount, time);
    private readonly long[] _changesHeard = new long[Stripes];
    private volatile bool _listening;

    public bool Listening => _listening;

    public long ChangesHeard(Guid accountId) => Volatile.Read(ref _changesHeard[Stripe(accountId)]);

    /// <summary>Looks without being asked to refresh: a due summary stays due for the next reader.</summary>
    public CachedAccountSummary? Find(Guid accountId) =>
        _listening && _summaries.TryGet(accountId, out var kept) ? kept.Summary : null;

    /// <param name="accountId">The account.</param>
    /// <param name="refresh">
    /// Whether this reader should read the summary again from Redis (and <see cref="Keep"/> it): it is past its refresh
    /// time, and no other reader was asked yet.
    /// </param>
    public CachedAccountSummary? Find(Guid accountId, out bool refresh)
    {
        refresh = false;
        if (!_listening || !_summaries.TryGet(accountId, out var kept))
        {
            return null;
        }

        refresh = kept.TakeRefresh(time.GetUtcNow());
        return kept.Summary;
    }

    /// <summary>Keeps a summary read after <paramref name="changesHeard"/>, unless a change was heard since.</summary>
    public void Keep(Guid accountId, CachedAccountSummary summary, long changesHeard)
    {
        var now = time.GetUtcNow();
        var kept = new Kept(summary, now + RefreshFrom + (RefreshTo - RefreshFrom) * Random.Shared.NextDouble());
        if (!_listening || ChangesHeard(accountId) != changesHeard || !_summaries.Keep(accountId, kept, now + MaxAge))
        {
            return;
        }

        if (ChangesHeard(accountId) != changesHeard || !_listening)
        {
            _summaries.Forget(accountId, kept);
        }
    }

    /// <summary>A change of the account was committed (here or on another replica).</summary>
    public void Forget(Guid accountId)
    {
        Interlocked.Increment(ref _changesHeard[Stripe(accountId)]);
        _summaries.Forget(accountId);
    }

    public void Listen() => _listening = true;

    public void StopListening()
    {
        _listening = false;
        for (var i = 0; i < Stripes; i++)
        {
            Interlocked.Increment(ref _changesHeard[i]);
        }

        _summaries.Clear();
    }

    private static int Stripe(Guid accountId) => (accountId.GetHashCode() & int.MaxValue) % Stripes;

    private sealed class Kept(CachedAccountSummary summary, DateTimeOffset refreshAt)
    {
        private int _refreshTaken;

        public CachedAccountSummary Summary => summary;

        /// <summary>True once, for the first reader at or after the refresh time.</summary>
        public bool TakeRefresh(DateTimeOffset now) => now >= refreshAt && Interlocked.Exchange(ref _refreshTaken, 1) == 0;
    }
}
