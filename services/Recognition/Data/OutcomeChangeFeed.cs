using CreditBank.Recognition.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CreditBank.Recognition.Data;

/// <summary>
/// Reads the outcome change feed in its one order, (<see cref="OutcomeChange.WriterXid"/>, <see cref="OutcomeChange.Position"/>),
/// by keyset: one index range scan per page, as cheap at the millionth entry as at the first.
/// </summary>
/// <remarks>
/// Positions come from a sequence, so they are handed out in the order rows are inserted, not in the order their
/// transactions commit: a reader that served position 12 while position 11's transaction was still open would pass it
/// for ever. On PostgreSQL each entry therefore carries the id of the transaction that wrote it (a trigger sets it), and
/// a reader serves only entries whose transaction id is below the oldest transaction still running
/// (<c>pg_snapshot_xmin(pg_current_snapshot())</c>): those transactions have all ended, so no entry can appear before
/// the cursor afterwards, and an entry of a later transaction sorts after every entry served. A long transaction
/// anywhere on the server delays the feed by its length; it never makes it skip. On SQLite one transaction writes at a
/// time, so commit order is position order, and every entry is visible as soon as it is committed.
/// </remarks>
internal sealed class OutcomeChangeFeed(RecognitionDb db)
{
    /// <summary>Entries after (<paramref name="afterXid"/>, <paramref name="afterPosition"/>), at most <paramref name="size"/>, and whether the page is full.</summary>
    public async Task<List<OutcomeChange>> ReadAsync(long afterXid, long afterPosition, int size, CancellationToken ct)
    {
        var horizon = await HorizonAsync(ct);
        return await db.OutcomeChanges.AsNoTracking()
            .Where(c => c.WriterXid < horizon && c.WriterXid >= afterXid && (c.WriterXid > afterXid || c.Position > afterPosition))
            .OrderBy(c => c.WriterXid).ThenBy(c => c.Position)
            .Take(size)
            .ToListAsync(ct);
    }

    /// <summary>Entries of transactions below this id are final: every transaction that could still add one is newer.</summary>
    private async Task<long> HorizonAsync(CancellationToken ct)
    {
        if (db.Database.GetDbConnection() is not NpgsqlConnection)
        {
            return long.MaxValue;
        }

        return await db.Database.SqlQueryRaw<long>("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS \"Value\"").SingleAsync(ct);
    }
}
