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

    // The number of entries, kept beside the dictionary: its own Count takes every one of its locks, and Keep asks on
    // every call. It may drift by an entry under races (a key removed between TryAdd and the update); each sweep and
    // Clear set it right.
    private int _count;

    public int Count => Volatile.Read(ref _count);

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
        if (until <= now || (Volatile.Read(ref _count) >= maxCount && !Sweep(now)))
        {
            return false;
        }

        var entry = new Entry(value, until);
        if (_entries.TryAdd(key, entry))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            _entries[key] = entry;
        }

        return true;
    }

    public void Forget(TKey key)
    {
        if (_entries.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Forgets the entry only if it still holds <paramref name="value"/> (not one kept since).</summary>
    public void Forget(TKey key, TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && ReferenceEquals(entry.Value, value)
            && _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    public void Clear()
    {
        _entries.Clear();
        Volatile.Write(ref _count, _entries.Count);
    }

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

        var count = _entries.Count;
        Volatile.Write(ref _count, count);
        return count < maxCount;
    }

    private sealed record Entry(TValue Value, DateTimeOffset Until);
}
