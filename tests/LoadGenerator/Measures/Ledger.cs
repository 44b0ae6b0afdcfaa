using Npgsql;

namespace CreditBank.LoadGenerator.Measures;

/// <summary>
/// Reads the accounts database for what "credited" means: the deposit's ledger entry exists. Ledger entry ids are
/// time-ordered (UUIDv7), so "entries since t" is a range scan of the primary key however big the ledger is.
/// </summary>
public sealed class Ledger(string accountsDatabase)
{
    public async Task<long> CountDepositsSinceAsync(DateTimeOffset since, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(accountsDatabase);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM ledger_entries WHERE id >= @floor AND kind = 1", connection);
        command.Parameters.AddWithValue("floor", IdFloor(since));
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>When each of these outcomes' deposits was posted; outcomes not yet deposited are missing.</summary>
    public async Task<Dictionary<Guid, DateTimeOffset>> DepositedAtAsync(IReadOnlyCollection<Guid> outcomeIds, CancellationToken ct = default)
    {
        var found = new Dictionary<Guid, DateTimeOffset>(outcomeIds.Count);
        await using var connection = new NpgsqlConnection(accountsDatabase);
        await connection.OpenAsync(ct);
        foreach (var chunk in outcomeIds.Chunk(10_000))
        {
            await using var command = new NpgsqlCommand("SELECT outcome_id, posted_at FROM ledger_entries WHERE outcome_id = ANY(@ids) AND kind = 1", connection);
            command.Parameters.AddWithValue("ids", chunk);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                found[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
            }
        }

        return found;
    }

    /// <summary>Waits until every outcome is deposited and returns when each was; throws after <paramref name="timeout"/>.</summary>
    public async Task<Dictionary<Guid, DateTimeOffset>> WaitForDepositsAsync(IReadOnlyCollection<Guid> outcomeIds, TimeSpan timeout, CancellationToken ct = default)
    {
        var until = DateTime.UtcNow + timeout;
        var found = new Dictionary<Guid, DateTimeOffset>(outcomeIds.Count);
        var missing = outcomeIds.ToList();
        while (true)
        {
            // Each round asks only for the outcomes not credited yet: the wait must not load the database it measures.
            foreach (var (id, at) in await DepositedAtAsync(missing, ct))
            {
                found[id] = at;
            }

            missing = missing.Where(id => !found.ContainsKey(id)).ToList();
            if (missing.Count == 0)
            {
                return found;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"{missing.Count} of {outcomeIds.Count} outcomes were not credited within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(200, ct);
        }
    }

    /// <summary>The smallest UUIDv7 of <paramref name="at"/>'s millisecond: every id made at or after it compares greater.</summary>
    public static Guid IdFloor(DateTimeOffset at) => Guid.Parse($"{at.ToUnixTimeMilliseconds():x12}".Insert(8, "-") + "-7000-8000-000000000000");
}
