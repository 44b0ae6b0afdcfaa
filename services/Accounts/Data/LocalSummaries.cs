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
/// </remarks>
public sealed class LocalSummaries(TimeProvider time)
{
    /// <summary>How long a summary is kept at most: a bound on staleness should an announcement be lost unnoticed.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a summary is kept at least. Each is kept for a random time between this and <see cref="MaxAge"/>, so that
    /// summaries read together (a replica warming up after a restart) are not all read again from Redis in the same
    /// moment when their time is up.
    /// </summary>
    public static readonly TimeSpan MinAge = MaxAge * 0.75;

    /// <summary>Most summaries kept at once (a summary is well under a kilobyte).</summary>
    public const int MaxCount = 20_000;

    private const int Stripes = 4096;

    private readonly ExpiringEntries<Guid, CachedAccountSummary> _summaries = new(MaxCount, time);
    private readonly long[] _changesHeard = new long[Stripes];
    private volatile bool _listening;

    public bool Listening => _listening;

    public long ChangesHeard(Guid accountId) => Volatile.Read(ref _changesHeard[Stripe(accountId)]);

    public CachedAccountSummary? Find(Guid accountId) =>
        _listening && _summaries.TryGet(accountId, out var summary) ? summary : null;

    /// <summary>Keeps a summary read after <paramref name="changesHeard"/>, unless a change was heard since.</summary>
    public void Keep(Guid accountId, CachedAccountSummary summary, long changesHeard)
    {
        var age = MinAge + (MaxAge - MinAge) * Random.Shared.NextDouble();
        if (!_listening || ChangesHeard(accountId) != changesHeard || !_summaries.Keep(accountId, summary, time.GetUtcNow() + age))
        {
            return;
        }

        if (ChangesHeard(accountId) != changesHeard || !_listening)
        {
            _summaries.Forget(accountId, summary);
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
}
