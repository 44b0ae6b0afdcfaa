using CreditBank.Accounts.Domain;
using CreditBank.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CreditBank.Accounts.Data;

/// <summary>An account read without tracking, the version it had when read, and what appends have made of it since.</summary>
internal sealed record MovedAccount(Account Account, long ReadVersion);

/// <summary>
/// Writes what appends moved on accounts read without tracking — each one's version and holdings — checked against the
/// version it was read at, so that appends to one account serialise: a transaction that finds the version moved by
/// another fails with <see cref="DbUpdateConcurrencyException"/> and is retried from a clean slate.
/// </summary>
/// <remarks>
/// On PostgreSQL all of them in one round trip, instead of a tracked update each (one statement per account, the most
/// frequent of the deposit path): the accounts locked in key order, so that two transactions moving the same accounts
/// queue behind each other instead of deadlocking, then one <c>UPDATE … FROM unnest(…)</c>. Elsewhere (SQLite) they are
/// attached to the context with their read version as the original one, for the next <c>SaveChanges</c>.
/// </remarks>
internal static class MovedAccounts
{
    /// <summary>The holdings' columns and values; a test checks them against the model, so that none is left unwritten.</summary>
    internal static readonly IReadOnlyList<(string Column, Func<Holdings, decimal> Value)> HoldingsColumns =
    [
        ("course_credits", h => h.Course),
        ("skill_certificate_credits", h => h.SkillCertificate),
        ("vocational_qualification_credits", h => h.VocationalQualification),
        ("special_ability_credits", h => h.SpecialAbility),
        ("training_record_credits", h => h.TrainingRecord),
        ("competition_award_credits", h => h.CompetitionAward),
        ("informal_outcome_credits", h => h.InformalOutcome),
        ("converted_credits", h => h.Converted),
    ];

    private const string Lock = "SELECT 1 FROM accounts WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE";

    private static readonly string Update =
        "UPDATE accounts AS a SET version = m.version, " + string.Join(", ", HoldingsColumns.Select(h => $"{h.Column} = m.{h.Column}")) +
        " FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], " + string.Join(", ", HoldingsColumns.Select((_, i) => $"${i + 4}::numeric[]")) + ")" +
        " AS m(id, read_version, version, " + string.Join(", ", HoldingsColumns.Select(h => h.Column)) + ")" +
        " WHERE a.id = m.id AND a.version = m.read_version";

    /// <summary>Writes <paramref name="moved"/> in the context's current transaction (PostgreSQL), or adds them to the context.</summary>
    public static async Task SaveMovedAsync(this AccountsDb db, IReadOnlyCollection<MovedAccount> moved, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            // On every provider, so that a path the SQLite tests cover cannot forget it on PostgreSQL.
            throw new InvalidOperationException("Moved accounts are written in the transaction of their ledger entries: begin one first.");
        }

        if (moved.Count == 0)
        {
            return;
        }

        if (db.Database.GetDbConnection() is not NpgsqlConnection connection)
        {
            foreach (var (account, readVersion) in moved)
            {
                var entry = db.Accounts.Attach(account);
                entry.Property(a => a.Version).OriginalValue = readVersion;
                entry.Property(a => a.Version).IsModified = true;
                foreach (var holding in entry.ComplexProperty(a => a.Holdings).Properties)
                {
                    holding.IsModified = true;
                }
            }

            return;
        }

        var ordered = moved.OrderBy(m => m.Account.Id).ToList();
        var ids = PostgresWrites.Column(ordered, m => m.Account.Id);
        await using var batch = new NpgsqlBatch(connection, db.NpgsqlTransaction())
        {
            BatchCommands = { new NpgsqlBatchCommand(Lock) { Parameters = { new NpgsqlParameter { Value = ids } } }, new NpgsqlBatchCommand(Update) },
        };
        var update = batch.BatchCommands[1].Parameters;
        update.Add(new NpgsqlParameter { Value = ids });
        update.Add(new NpgsqlParameter { Value = PostgresWrites.Column(ordered, m => m.ReadVersion) });
        update.Add(new NpgsqlParameter { Value = PostgresWrites.Column(ordered, m => m.Account.Version) });
        foreach (var (_, value) in HoldingsColumns)
        {
            update.Add(new NpgsqlParameter { Value = PostgresWrites.Column(ordered, m => value(m.Account.Holdings)) });
        }

        await batch.ExecuteNonQueryAsync(ct);
        var written = batch.BatchCommands[1].RecordsAffected;
        if (written != ordered.Count)
        {
            throw new DbUpdateConcurrencyException(
                $"{ordered.Count - written} of {ordered.Count} accounts were appended to by another transaction since they were read; retry from the start.");
        }
    }
}
