using CreditBank.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Messaging;

/// <summary>
/// A row taken for publishing: what goes on the wire (its body as UTF-8, the trace context it was written in), and its
/// place in the table.
/// </summary>
internal sealed record ClaimedOutboxRow(long Sequence, Guid Id, string Type, byte[] Body, int Attempts, long CreatedAtMs, string? TraceParent, string? TraceState);

/// <summary>How the outbox relay takes its next rows: in one statement, locked for <see cref="OutboxOptions.LockTimeout"/>.</summary>
internal static class OutboxClaim
{
    /// <summary>
    /// At most <see cref="OutboxOptions.BatchSize"/> unpublished rows in commit order and, after the first, at most
    /// <see cref="OutboxOptions.MaxBatchBytes"/> of bodies — a batch chunk's event is a quarter to half a megabyte, and
    /// 200 of them at once would be 50–100 MB in memory. On PostgreSQL the budget is counted over the rows this relay
    /// could lock (<c>FOR UPDATE SKIP LOCKED</c>), so rows another replica holds take none of it.
    /// </summary>
    public static async Task<List<ClaimedOutboxRow>> TakeAsync(DbContext db, DatabaseProvider provider, long nowMs, OutboxOptions options,
        CancellationToken ct)
    {
        var until = nowMs + (long)options.LockTimeout.TotalMilliseconds;
        // Not composed further, so EF sends it as written; RETURNING works on PostgreSQL and SQLite ≥ 3.35, window
        // functions on SQLite ≥ 3.25.
        return await db.Database.SqlQueryRaw<ClaimedOutboxRow>(provider == DatabaseProvider.Postgres ? Postgres : Sqlite,
            until, nowMs, options.BatchSize, options.MaxBatchBytes).ToListAsync(ct);
    }

    private static readonly string Postgres = Claim(bytes: "pg_column_size(body)::bigint", locking: "FOR UPDATE SKIP LOCKED", body: "convert_to(body, 'UTF8')");

    private static readonly string Sqlite = Claim(bytes: "length(CAST(body AS BLOB))", locking: string.Empty, body: "CAST(body AS BLOB)");

    /// <summary>
    /// The claim in each provider's words (the result's columns named as the snake_case convention names
    /// <see cref="ClaimedOutboxRow"/>'s properties; a one-word alias also matches because the readers fall back to a
    /// case-insensitive match): what a body's size is, how rows are locked, and the body returned as the
    /// UTF-8 bytes that are published (read as text it would be decoded into a string twice its size, only to be encoded
    /// back to UTF-8 for the broker).
    /// </summary>
    private static string Claim(string bytes, string locking, string body) => $$"""
        UPDATE outbox_messages SET locked_until_ms = {0}, attempts = attempts + 1
        WHERE sequence IN (
            SELECT sequence FROM (
                SELECT sequence, sum(bytes) OVER (ORDER BY sequence) AS running, row_number() OVER (ORDER BY sequence) AS place
                FROM (
                    SELECT sequence, {{bytes}} AS bytes FROM outbox_messages
                    WHERE published_at_ms IS NULL AND (locked_until_ms IS NULL OR locked_until_ms < {1})
                    ORDER BY sequence LIMIT {2} {{locking}}) AS candidates) AS budgeted
            WHERE place = 1 OR running <= {3})
        RETURNING sequence AS "Sequence", id AS "Id", type AS "Type", {{body}} AS "Body", attempts AS "Attempts",
            created_at_ms, trace_parent, trace_state
        """;
}
