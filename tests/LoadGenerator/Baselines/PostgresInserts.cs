using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace CreditBank.LoadGenerator.Baselines;

public sealed record InsertRate(string Method, long Rows, double Seconds)
{
    public double RowsPerSecond => Rows / Seconds;
}

/// <summary>
/// Baseline: the rows a credited outcome leaves behind (a ledger entry), inserted straight into a copy of the
/// ledger table (same columns and indexes, default durability) with no service in between: binary COPY, and batched
/// multi-row INSERT, both committing every <c>perTransaction</c> rows as the batch path does per chunk.
/// </summary>
public static class PostgresInserts
{
    private const string Table = "baseline_ledger_entries";

    public static async Task<IReadOnlyList<InsertRate>> RunAsync(string accountsDatabase, long rows, int perTransaction)
    {
        await using var connection = new NpgsqlConnection(accountsDatabase);
        await connection.OpenAsync();
        await Execute(connection, $"DROP TABLE IF EXISTS {Table}; CREATE TABLE {Table} (LIKE ledger_entries INCLUDING ALL)");
        var copy = await TimeAsync("binary COPY", rows, perTransaction, (tx, from, count) => CopyAsync(connection, from, count));
        await Execute(connection, $"TRUNCATE {Table}");
        var insert = await TimeAsync("batched INSERT (500 rows per statement)", rows, perTransaction, (tx, from, count) => InsertAsync(connection, tx, from, count));
        await Execute(connection, $"DROP TABLE {Table}");
        return [copy, insert];

        async Task<InsertRate> TimeAsync(string method, long total, int chunk, Func<NpgsqlTransaction, long, int, Task> write)
        {
            var clock = Stopwatch.StartNew();
            for (var from = 0L; from < total; from += chunk)
            {
                await using var tx = await connection.BeginTransactionAsync();
                await write(tx, from, (int)Math.Min(chunk, total - from));
                await tx.CommitAsync();
            }

            return new InsertRate(method, total, clock.Elapsed.TotalSeconds);
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task CopyAsync(NpgsqlConnection connection, long from, int count)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {Table} (id, account_id, sequence, kind, credits, outcome_id, outcome_kind, description, actor, source_event_id, posted_at) FROM STDIN (FORMAT BINARY)");
        for (var i = from; i < from + count; i++)
        {
            var row = Row.Of(i);
            await writer.StartRowAsync();
            await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid);
            await writer.WriteAsync(row.AccountId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(1L, NpgsqlDbType.Bigint);
            await writer.WriteAsync(1, NpgsqlDbType.Integer);
            await writer.WriteAsync(row.Credits, NpgsqlDbType.Numeric);
            await writer.WriteAsync(row.OutcomeId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(1, NpgsqlDbType.Integer);
            await writer.WriteAsync(row.Description, NpgsqlDbType.Varchar);
            await writer.WriteAsync(row.Actor, NpgsqlDbType.Varchar);
            await writer.WriteAsync(row.SourceEventId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(row.PostedAt, NpgsqlDbType.TimestampTz);
        }

        await writer.CompleteAsync();
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long from, int count)
    {
        const int perStatement = 500;
        for (var start = from; start < from + count; start += perStatement)
        {
            var n = (int)Math.Min(perStatement, from + count - start);
            await using var command = new NpgsqlCommand { Connection = connection, Transaction = tx };
            var values = new List<string>(n);
            for (var j = 0; j < n; j++)
            {
                var row = Row.Of(start + j);
                var p = j * 8;
                values.Add($"(${p + 1}, ${p + 2}, 1, 1, ${p + 3}, ${p + 4}, 1, ${p + 5}, ${p + 6}, ${p + 7}, ${p + 8})");
                command.Parameters.Add(new NpgsqlParameter { Value = row.Id });
                command.Parameters.Add(new NpgsqlParameter { Value = row.AccountId });
                command.Parameters.Add(new NpgsqlParameter { Value = row.Credits });
                command.Parameters.Add(new NpgsqlParameter { Value = row.OutcomeId });
                command.Parameters.Add(new NpgsqlParameter { Value = row.Description });
                command.Parameters.Add(new NpgsqlParameter { Value = row.Actor });
                command.Parameters.Add(new NpgsqlParameter { Value = row.SourceEventId });
                command.Parameters.Add(new NpgsqlParameter { Value = row.PostedAt });
            }

            command.CommandText = $"INSERT INTO {Table} (id, account_id, sequence, kind, credits, outcome_id, outcome_kind, description, actor, source_event_id, posted_at) VALUES {string.Join(", ", values)}";
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>A ledger entry as the batch path writes one (each its own account, so (account_id, sequence) stays unique).</summary>
    private readonly record struct Row(Guid Id, Guid AccountId, decimal Credits, Guid OutcomeId, string Description, string Actor, Guid SourceEventId,
        DateTimeOffset PostedAt)
    {
        public static Row Of(long i)
        {
            var now = DateTimeOffset.UtcNow;
            return new Row(Guid.CreateVersion7(now), Guid.CreateVersion7(now), 2 + i % 3, Guid.CreateVersion7(now), $"存入 · 压测课程 {i} · 4150012608",
                "institution:4150012608", Guid.CreateVersion7(now), now);
        }
    }
}
