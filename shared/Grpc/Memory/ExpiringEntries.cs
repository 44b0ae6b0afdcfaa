using System.Collections.Concurrent;

namespace CreditBank.Grpc.Memory;

/// <summary>
/// What a replica keeps in its own memory for a while: each entry until its time is up, at most <c>maxCount</c> of
/// them. When full, expired entries are swept out (at most once per <see cref="SweepInterval"/>) and, if that frees no
/// room, new entries are not kept: callers then do the work they would have skipped.
/// </summary>
public sealed class ExpiringEntries<TKey, TValue>(int maxCount, TimeProvider time, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
    where TValue : class
{
    /// <summary>How often a full memory may be swept: a sweep of live entries finds nothing and costs a pass over all.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<TKey, Entry> _entries = new(comparer);

    private long _nextSweepTicks;

    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Until > time.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }

        value = null!;
        return false;
    }

    /// <summary>Keeps <paramref name="value"/> until <paramref name="until"/>, if there is room.</summary>
    /// <returns>Whether it was kept.</returns>
    public bool Keep(TKey key, TValue value, DateTimeOffset until)
    {
        var now = time.GetUtcNow();
        if (until <= now || (_entries.Count >= maxCount && !Sweep(now)))
        {
            return false;
        }

        _entries[key] = new Entry(value, until);
        return true;
    }

    public void Forget(TKey key) => _entries.TryRemove(key, out _);

    /// <summary>Forgets the entry only if it still holds <paramref name="value"/> (not one kept since).</summary>
    public void Forget(TKey key, TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && ReferenceEquals(entry.Value, value))
        {
            _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry));
        }
    }

    public void Clear() => _entries.Clear();

    /// <returns>Whether there is room now.</returns>
    private bool Sweep(DateTimeOffset now)
    {
        var nextSweep = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < nextSweep || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, nextSweep) != nextSweep)
        {
            return false;
        }

        foreach (var (key, entry) in _entries)
        {
            if (entry.Until <= now)
            {
                _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry));
            }
        }

        return _entries.Count < maxCount;
    }

    private sealed record Entry(TValue Value, DateTimeOffset Until);
}
