using CreditBank.Grpc;

namespace CreditBank.Recognition.Grpc;

/// <summary>
/// Keyset paging of a list shown newest first by a time that several rows may share (a batch chunk's outcomes, a
/// group's decisions): the token holds the last time served and how many rows of exactly that time were served, so a
/// page skips at most one such group's worth of rows, whatever its depth.
/// </summary>
internal static class NewestFirst
{
    /// <summary>Where the page starts: rows at or before <c>Until</c> (all when null), skipping the first <c>Served</c>.</summary>
    public static (DateTimeOffset? Until, int Served) Start(string? token, string scope)
    {
        var (ticks, served) = PageToken.Decode2(token, scope);
        return (ticks > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null, (int)Math.Min(served, int.MaxValue));
    }

    /// <summary>The next page's token, given up to <paramref name="size"/> + 1 rows fetched; empty on the last page.</summary>
    public static string Next<T>(IReadOnlyList<T> fetched, int size, Func<T, DateTimeOffset> at, string scope, DateTimeOffset? until, int served)
    {
        if (fetched.Count <= size)
        {
            return string.Empty;
        }

        var last = at(fetched[size - 1]);
        var sameTime = fetched.Take(size).Count(r => at(r) == last) + (until == last ? served : 0);
        return PageToken.Encode(scope, last.UtcTicks, sameTime);
    }
}
