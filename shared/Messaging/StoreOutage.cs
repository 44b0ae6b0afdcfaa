using System.Data.Common;

namespace CreditBank.Messaging;

/// <summary>
/// A consumer's database away for a while — PostgreSQL restarting or in crash recovery ("the database system is not
/// yet accepting connections"), a connection cut — as opposed to a message that cannot be handled. The consumer's 8
/// quick retries are over in ~17 s; each of them first waits out such an outage for a minute (<see cref="Tries"/> ×
/// <see cref="Interval"/>), so a message survives ~9 minutes of outage instead of being parked: an <c>_error</c> queue
/// is for poison, not for an outage (make drill's kill -9 of PostgreSQL parked 20 deposits and reversals without it).
/// A conflict between writers (deadlock, serialization failure, a lock not available) is not an outage: the quick
/// retries are for it.
/// </summary>
public static class StoreOutage
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    public const int Tries = 12;

    /// <summary>True when the exception, or one it wraps, is the database (or the way to it) being away.</summary>
    public static bool Caused(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true } db && (db.SqlState is null || IsOutage(db.SqlState)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>SQLSTATE classes of an unreachable or unavailable server: connection exception, operator intervention
    /// (admin or crash shutdown, cannot connect now), insufficient resources, system error.</summary>
    private static bool IsOutage(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("57P", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal) || sqlState.StartsWith("58", StringComparison.Ordinal);
}
