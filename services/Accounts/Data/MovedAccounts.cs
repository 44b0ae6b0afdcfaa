using CreditBank.Accounts.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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
/// On PostgreSQL all of them in one <c>UPDATE … FROM unnest(…)</c> at once, instead of a tracked update each (one
/// statement per account, the most frequent of the deposit path). Elsewhere (SQLite) they are attached to the context
/// with their read version as the original one, for the next <c>SaveChanges</c>.
/// </remarks>
internal static class MovedAccounts
{
    // Accounts in key order, so that two transactions moving the same accounts lock them in the same order.
    private const string Update = """
        UPDATE accounts AS a SET version = m.version,
            course_credits = m.course, skill_certificate_credits = m.skill_certificate,
            vocational_qualification_credits = m.vocational_qualification, special_ability_credits = m.special_ability,
            training_record_credits = m.training_record, competition_award_credits = m.competition_award,
            informal_outcome_credits = m.informal_outcome, converted_credits = m.converted
        FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[],
                    $9::numeric[], $10::numeric[], $11::numeric[])
            AS m(id, read_version, version, course, skill_certificate, vocational_qualification, special_ability, training_record,
                 competition_award, informal_outcome, converted)
        WHERE a.id = m.id AND a.version = m.read_version
        """;

    /// <summary>Writes <paramref name="moved"/> in the context's current transaction (PostgreSQL), or adds them to the context.</summary>
    public static async Task SaveMovedAsync(this AccountsDb db, IReadOnlyCollection<MovedAccount> moved, CancellationToken ct)
    {
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
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
            ?? throw new InvalidOperationException("Moved accounts are written in the transaction of their ledger entries: begin one first.");
        await using var command = new NpgsqlCommand(Update, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = Column(ordered, m => m.Account.Id) });
        command.Parameters.Add(new NpgsqlParameter { Value = Column(ordered, m => m.ReadVersion) });
        command.Parameters.Add(new NpgsqlParameter { Value = Column(ordered, m => m.Account.Version) });
        command.Parameters.Add(new NpgsqlParameter { Value = Column(ordered, m => m.Account.Holdings.Course) });
        command.Parameters.Add(new NpgsqlParameter { Value = Column(ordered, m => m.Account.Holdings.SkillCertificate) });
        command.Parameters.Add(new NpgsqlParameter { Value = Column(ordered, m => m.Account.Holdings.VocationalQualification) });
        command.Parameters.Add(new NpgsqlParameter { Value = Column(ordered, m => m.Account.Holdings.SpecialAbility) });
        command.Parameters.Add(new NpgsqlParameter { Value = Column(ordered, m => m.Account.Holdings.TrainingRecord) });
        command.Parameters.Add(new NpgsqlParameter { Value = Column(ordered, m => m.Account.Holdings.CompetitionAward) });
        command.Parameters.Add(new NpgsqlParameter { Value = Column(ordered, m => m.Account.Holdings.InformalOutcome) });
        command.Parameters.Add(new NpgsqlParameter { Value = Column(ordered, m => m.Account.Holdings.Converted) });
        var written = await command.ExecuteNonQueryAsync(ct);
        if (written != ordered.Count)
        {
            throw new DbUpdateConcurrencyException(
                $"{ordered.Count - written} of {ordered.Count} accounts were appended to by another transaction since they were read; retry from the start.");
        }
    }

    private static T[] Column<T>(List<MovedAccount> moved, Func<MovedAccount, T> value)
    {
        var values = new T[moved.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(moved[i]);
        }

        return values;
    }
}
