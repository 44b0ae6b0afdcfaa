using CreditBank.TestSupport;
using Npgsql;
using Xunit;

namespace CreditBank.Integration.Tests;

/// <summary>An uncached GetAccount sums the account's entries by kind; on PostgreSQL the index alone answers it.</summary>
public sealed class LedgerSums(Bank bank)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_accounts_sums_by_kind_can_be_read_from_the_ledger_index_alone()
    {
        var number = Requests.ResidentId(243);
        await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: number, credits: 3), cancellationToken: _ct);
        var account = await bank.WaitForCreditsAsync(number, 1);
        await using var connection = new NpgsqlConnection(bank.AccountsDatabase);
        await connection.OpenAsync(_ct);
        await using (var settle = new NpgsqlCommand("VACUUM (ANALYZE) ledger_entries", connection))
        {
            await settle.ExecuteNonQueryAsync(_ct);
        }

        // As a large ledger makes the planner choose: the index, not a scan of the whole table. Whether the entries' pages
        // are visited too depends on the visibility map, which other tests' inserts keep changing: the plan is the point.
        await using var plan = new NpgsqlCommand(
            """
            SET enable_seqscan = off; SET enable_bitmapscan = off;
            EXPLAIN (FORMAT TEXT) SELECT outcome_kind, kind, sum(credits) FROM ledger_entries WHERE account_id = @id GROUP BY outcome_kind, kind
            """, connection) { Parameters = { new("id", Guid.Parse(account.Account.AccountId)) } };
        var lines = new List<string>();
        await using (var reader = await plan.ExecuteReaderAsync(_ct))
        {
            while (await reader.ReadAsync(_ct))
            {
                lines.Add(reader.GetString(0));
            }
        }

        var text = string.Join('\n', lines);
        Assert.Contains("Index Only Scan using \"IX_ledger_entries_account_id_sequence\"", text);
    }
}
