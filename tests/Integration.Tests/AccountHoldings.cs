using CreditBank.Accounts.Data;
using CreditBank.Accounts.Domain;
using CreditBank.Contracts.Type.V1;
using CreditBank.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace CreditBank.Integration.Tests;

/// <summary>
/// An account keeps its balances (its holdings) in its own row, moved with every append; on PostgreSQL they are always
/// what its ledger sums to, and migrating a bank that had only the ledger fills them from it.
/// </summary>
public sealed class AccountHoldings(DistributedBankHost bank)
{
    /// <summary>Accounts whose holdings differ from their ledger's sums: banked by outcome kind (deposits and reversals), converted apart.</summary>
    internal const string Disagreeing = """
        SELECT count(*) FROM accounts a
        LEFT JOIN (
            SELECT account_id,
                SUM(CASE WHEN kind <> 3 AND outcome_kind = 1 THEN credits ELSE 0 END) AS course,
                SUM(CASE WHEN kind <> 3 AND outcome_kind = 2 THEN credits ELSE 0 END) AS skill_certificate,
                SUM(CASE WHEN kind <> 3 AND outcome_kind = 3 THEN credits ELSE 0 END) AS vocational_qualification,
                SUM(CASE WHEN kind <> 3 AND outcome_kind = 4 THEN credits ELSE 0 END) AS special_ability,
                SUM(CASE WHEN kind <> 3 AND outcome_kind = 5 THEN credits ELSE 0 END) AS training_record,
                SUM(CASE WHEN kind <> 3 AND outcome_kind = 6 THEN credits ELSE 0 END) AS competition_award,
                SUM(CASE WHEN kind <> 3 AND outcome_kind = 7 THEN credits ELSE 0 END) AS informal_outcome,
                SUM(CASE WHEN kind = 3 THEN credits ELSE 0 END) AS converted
            FROM ledger_entries GROUP BY account_id) l ON l.account_id = a.id
        WHERE a.course_credits <> coalesce(l.course, 0) OR a.skill_certificate_credits <> coalesce(l.skill_certificate, 0)
           OR a.vocational_qualification_credits <> coalesce(l.vocational_qualification, 0) OR a.special_ability_credits <> coalesce(l.special_ability, 0)
           OR a.training_record_credits <> coalesce(l.training_record, 0) OR a.competition_award_credits <> coalesce(l.competition_award, 0)
           OR a.informal_outcome_credits <> coalesce(l.informal_outcome, 0) OR a.converted_credits <> coalesce(l.converted, 0)
        """;

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_accounts_holdings_are_what_its_ledger_sums_to()
    {
        var number = Requests.ResidentId(243);
        await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: number, credits: 3), cancellationToken: _ct);
        var account = await bank.WaitForCreditsAsync(number, 1);

        // Every account the stories have banked to so far, by single outcomes, batches, reversals and conversions.
        Assert.Equal(0, await CountAsync(bank.AccountsDatabase, Disagreeing));
        Assert.Equal(3, account.TotalCredits, 2);
    }

    [Fact]
    public async Task Migrating_a_bank_that_had_only_its_ledger_fills_every_accounts_holdings_from_it()
    {
        var database = $"{RealInfrastructure.Postgres};Database=holdings_{Guid.NewGuid().ToString("N")[..12]}";
        await using var db = new PostgresAccountsDb(ServiceDatabase.WithConventions(new DbContextOptionsBuilder<PostgresAccountsDb>().UseNpgsql(database)).Options);
        try
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261125011700_LedgerSumsFromIndex", _ct);
            var (banker, idle) = (Guid.CreateVersion7(), Guid.CreateVersion7());
            await ExecuteAsync(database, $"""
                INSERT INTO accounts (id, document_type, document_hash, document_masked, document_sealed, name, opened_at, opened_by, version)
                VALUES ('{banker}', 1, 'h1', 'm', 's', '张三', now(), 'institution:1', 5), ('{idle}', 1, 'h2', 'm', 's', '李四', now(), 'institution:1', 0);
                INSERT INTO ledger_entries (id, account_id, sequence, kind, credits, outcome_id, outcome_kind, description, actor, source_event_id, posted_at) VALUES
                    (gen_random_uuid(), '{banker}', 1, 1, 3.00, gen_random_uuid(), 1, '存入', 'a', gen_random_uuid(), now()),
                    (gen_random_uuid(), '{banker}', 2, 1, 2.50, gen_random_uuid(), 2, '存入', 'a', gen_random_uuid(), now()),
                    (gen_random_uuid(), '{banker}', 3, 1, 1.50, gen_random_uuid(), 1, '存入', 'a', gen_random_uuid(), now()),
                    (gen_random_uuid(), '{banker}', 4, 2, -3.00, gen_random_uuid(), 1, '冲正', 'a', gen_random_uuid(), now()),
                    (gen_random_uuid(), '{banker}', 5, 3, 2.00, gen_random_uuid(), 2, '转换', 'a', gen_random_uuid(), now());
                """);

            await migrator.MigrateAsync(cancellationToken: _ct);
            var held = await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Holdings, _ct);

            Assert.Equal((1.5m, 2.5m, 2m, 4m), (held[banker].Course, held[banker].SkillCertificate, held[banker].Converted, held[banker].Banked));
            Assert.Equal((0m, 0m), (held[idle].Banked, held[idle].Converted));
            Assert.Equal(0, await CountAsync(database, Disagreeing));
        }
        finally
        {
            await db.Database.EnsureDeletedAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Of_two_transactions_appending_to_one_account_at_once_the_second_is_refused_and_moves_nothing()
    {
        var database = $"{RealInfrastructure.Postgres};Database=holdings_{Guid.NewGuid().ToString("N")[..12]}";
        await using var first = Open(database);
        await using var second = Open(database);
        try
        {
            await first.GetService<IMigrator>().MigrateAsync(cancellationToken: _ct);
            var id = Guid.CreateVersion7();
            await ExecuteAsync(database, $"""
                INSERT INTO accounts (id, document_type, document_hash, document_masked, document_sealed, name, opened_at, opened_by, version, course_credits)
                VALUES ('{id}', 1, 'h1', 'm', 's', '张三', now(), 'institution:1', 2, 3.00);
                """);
            await using var one = await first.Database.BeginTransactionAsync(_ct);
            await using var other = await second.Database.BeginTransactionAsync(_ct);
            var (mine, theirs) = (await ReadAsync(first, id), await ReadAsync(second, id));

            await first.SaveMovedAsync([Deposited(mine, 1.5m)], _ct);
            var refused = second.SaveMovedAsync([Deposited(theirs, 2m)], _ct); // waits for the first's row lock
            await one.CommitAsync(_ct);

            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => refused);
            await using var after = Open(database);
            var stored = await ReadAsync(after, id);
            Assert.Equal((3L, 4.5m), (stored.Version, stored.Holdings.Course));
        }
        finally
        {
            await first.Database.EnsureDeletedAsync(CancellationToken.None);
        }

        static PostgresAccountsDb Open(string database) => new(ServiceDatabase.WithConventions(new DbContextOptionsBuilder<PostgresAccountsDb>().UseNpgsql(database)).Options);

        Task<Account> ReadAsync(AccountsDb db, Guid id) => db.Accounts.AsNoTracking().SingleAsync(a => a.Id == id, _ct);

        static MovedAccount Deposited(Account account, decimal credits)
        {
            var read = account.Version;
            account.Append(LedgerEntryKind.Deposit, credits, Guid.NewGuid(), OutcomeKind.Course, "存入", "institution:1", Guid.NewGuid(), DateTimeOffset.UtcNow);
            return new MovedAccount(account, read);
        }
    }

    [Fact]
    public void Appends_write_every_holdings_column_the_model_maps()
    {
        using var db = new PostgresAccountsDb(ServiceDatabase.WithConventions(new DbContextOptionsBuilder<PostgresAccountsDb>().UseNpgsql(RealInfrastructure.Postgres)).Options);
        var mapped = db.Model.FindEntityType(typeof(Account))!.FindComplexProperty(nameof(Account.Holdings))!.ComplexType.GetProperties()
            .Select(p => p.GetColumnName()).Order();

        Assert.Equal(mapped, MovedAccounts.HoldingsColumns.Select(h => h.Column).Order());
    }

    private async Task<long> CountAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(_ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(_ct));
    }

    private async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(_ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(_ct);
    }
}
