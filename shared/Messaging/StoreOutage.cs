using System.Data.Common;

namespace CreditBank.Messaging;

/// <summary>
/// A consumer's database away for a while — PostgreSQL restarting or in crash recovery ("the database system is not
/// yet accepting connections"), a connection cut — as opposed to a message that cannot be handled. The consumer
/// retries (a few quick tries for a concurrent writer) are over in ~17 s; a message that meets an outage longer than
/// that is tried again every <see cref="Interval"/> for about 10 minutes instead of being parked: an <c>_error</c> queue
/// is for poison, not for an outage (make drill's PostgreSQL kill parked 20 deposits and reversals without it).
/// </summary>
public static class StoreOutage
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Each round is the quick tries again plus <see cref="Interval"/>: ~22 s; 30 of them wait out ~10 minutes.</summary>
    public const int Rounds = 30;

    /// <summary>True when the exception, or one it wraps, is the database saying that trying again later may succeed.</summary>
    public static bool Caused(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}
