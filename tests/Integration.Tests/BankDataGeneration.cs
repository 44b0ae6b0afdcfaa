using CreditBank.Accounts;
using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Events;
using CreditBank.LoadGenerator;
using CreditBank.LoadGenerator.Scale;
using CreditBank.PersonalData;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using DocumentType = CreditBank.Contracts.Accounts.V1.DocumentType;

namespace CreditBank.Integration.Tests;

/// <summary>
/// The bank that <c>make bench</c> measures, in miniature: a generated bank written with COPY into an accounts service's
/// own PostgreSQL database holds what the generator claims, and the service reads it — and appends to it — as its own.
/// </summary>
public sealed class BankDataGeneration(ScaledAccounts scaled) : IClassFixture<ScaledAccounts>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public void The_database_holds_exactly_the_accounts_and_ledger_entries_the_generator_claims()
    {
        Assert.Equal(ScaledAccounts.AccountCount, scaled.Generated.Accounts);
        Assert.Equal(ScaledAccounts.EntryCount, scaled.Generated.LedgerEntries);
        Assert.Equal(scaled.Generated.Accounts, scaled.AccountsCounted);
        Assert.Equal(scaled.Generated.LedgerEntries, scaled.EntriesCounted);
        Assert.InRange(scaled.Generated.Reversals, 1, scaled.Generated.LedgerEntries / 20);
    }

    [Fact]
    public async Task Every_ledger_runs_from_sequence_1_to_its_accounts_version_with_10_to_200_entries_posted_in_order_and_sums_to_its_holdings()
    {
        Assert.Equal(0, await scaled.CountAsync("""
            SELECT count(*) FROM accounts a
            LEFT JOIN (SELECT account_id, count(*) AS n, min(sequence) AS lo, max(sequence) AS hi FROM ledger_entries GROUP BY account_id) l
              ON l.account_id = a.id
            WHERE l.n IS NULL OR l.lo <> 1 OR l.hi <> l.n OR a.version <> l.n OR l.n NOT BETWEEN 10 AND 200
            """, _ct));
        Assert.Equal(0, await scaled.CountAsync("SELECT count(*) FROM ledger_entries l WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = l.account_id)", _ct));
        // Each account's holdings (its balances by outcome kind) are what its entries sum to, as the service keeps them.
        Assert.Equal(0, await scaled.CountAsync(AccountHoldings.Disagreeing, _ct));
        Assert.Equal(0, await scaled.CountAsync("""
            SELECT count(*) FROM (
              SELECT posted_at <= lag(posted_at) OVER (PARTITION BY account_id ORDER BY sequence) AS out_of_order,
                     sequence = 1 AND posted_at <> (SELECT opened_at FROM accounts WHERE id = account_id) AS opened_elsewhere
              FROM ledger_entries) e
            WHERE e.out_of_order OR e.opened_elsewhere
            """, _ct));
    }

    [Fact]
    public async Task Entries_are_deposits_and_reversals_worded_as_the_service_words_them()
    {
        Assert.Equal(0, await scaled.CountAsync("""
            SELECT count(*) FROM ledger_entries
            WHERE kind NOT IN (1, 2) OR outcome_kind NOT BETWEEN 1 AND 7 OR actor NOT LIKE 'institution:%'
               OR (kind = 1 AND (credits NOT BETWEEN 0.5 AND 8 OR description NOT LIKE '存入 · % · ' || substring(actor FROM 13)))
               OR (kind = 2 AND description NOT LIKE '冲正 · %')
            """, _ct));
        // A reversal takes back one earlier deposit of the same outcome, in the same account, to the cent.
        Assert.Equal(0, await scaled.CountAsync("""
            SELECT count(*) FROM ledger_entries r
            LEFT JOIN ledger_entries d ON d.outcome_id = r.outcome_id AND d.kind = 1
            WHERE r.kind = 2 AND (d.id IS NULL OR d.account_id <> r.account_id OR d.sequence >= r.sequence
               OR d.credits <> -r.credits OR d.outcome_kind <> r.outcome_kind OR r.description <> '冲正 · ' || split_part(r.description, ' · ', 2) || ' · ' || d.description)
            """, _ct));
        Assert.Equal(7, await scaled.CountAsync("SELECT count(DISTINCT outcome_kind) FROM ledger_entries", _ct));
    }

    [Fact]
    public async Task Sampled_accounts_show_the_generated_entry_counts_and_credits_through_the_accounts_contract()
    {
        Assert.Equal(ScaledAccounts.SampleSize, scaled.Generated.Sample.Count);
        foreach (var generated in scaled.Generated.Sample.Where(g => g.Learner != scaled.DepositedLearner))
        {
            var found = await scaled.Accounts.LookupAccountAsync(
                new LookupAccountRequest { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = generated.DocumentNumber }, cancellationToken: _ct);
            var account = await scaled.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = generated.AccountId.ToString() }, cancellationToken: _ct);

            Assert.Equal(generated.AccountId.ToString(), found.Account.AccountId);
            Assert.Equal(Learners.Name(generated.Learner), account.Account.Name);
            Assert.Equal(Masking.Mask(generated.DocumentNumber), account.Account.DocumentMasked);
            Assert.Equal(generated.LedgerEntryCount, account.LedgerEntryCount);
            Assert.Equal((double)generated.TotalCredits, account.TotalCredits, 2);
        }

        Assert.Contains(scaled.Generated.Sample, g => g.LedgerEntryCount > 20);
        Assert.Contains(scaled.Generated.Sample, g => g.LedgerEntryCount < 20);
    }

    [Fact]
    public async Task A_deposit_on_a_generated_account_is_appended_at_the_next_sequence()
    {
        var generated = scaled.Generated.Sample.First(g => g.Learner == scaled.DepositedLearner);
        var document = await scaled.DepositAsync(generated.Learner, 2.5m, _ct);

        var account = await scaled.Accounts.WaitForLedgerAsync(document, generated.LedgerEntryCount + 1, ct: _ct);
        var ledger = await scaled.Accounts.ListLedgerEntriesAsync(
            new ListLedgerEntriesRequest { AccountId = generated.AccountId.ToString(), PageSize = 1000 }, cancellationToken: _ct);

        Assert.Equal(generated.LedgerEntryCount + 1, account.LedgerEntryCount);
        Assert.Equal((double)(generated.TotalCredits + 2.5m), account.TotalCredits, 2);
        Assert.Equal(Enumerable.Range(1, (int)generated.LedgerEntryCount + 1).Select(i => (long)i), ledger.Entries.Select(e => e.Sequence));
        Assert.Equal(LedgerEntryKind.Deposit, ledger.Entries[^1].Kind);
        Assert.True(ledger.Entries[^1].PostedAt.ToDateTimeOffset() > ledger.Entries[^2].PostedAt.ToDateTimeOffset());
    }
}

/// <summary>
/// An accounts service of its own (in-memory bus, so that it competes with no other for RabbitMQ messages) on a fresh
/// PostgreSQL database, migrated by the service at start and then filled by <see cref="BankData"/>.
/// </summary>
public sealed class ScaledAccounts(DistributedBankHost bank) : IAsyncLifetime
{
    public const int AccountCount = 500;
    public const long EntryCount = 10_000;
    public const int SampleSize = 50;

    // Far from the learners the other stories use (Requests.ResidentId) and from those make bench submits for.
    private const long FirstLearner = 7_300_000;

    private readonly string _database = $"accounts_scale_{DateTime.UtcNow:HHmmss}{Guid.NewGuid():N}"[..36];
    private ServiceHost _host = null!;

    public GeneratedBank Generated { get; private set; } = null!;

    /// <summary><c>count(*)</c> of <c>accounts</c> and <c>ledger_entries</c> right after generating, before any test appends.</summary>
    public long AccountsCounted { get; private set; }

    public long EntriesCounted { get; private set; }

    /// <summary>The learner the deposit story deposits to (with room for one more entry); the other stories leave that account alone.</summary>
    public long DepositedLearner => Generated.Sample.Skip(1).First(g => g.LedgerEntryCount < 200).Learner;

    /// <summary>The service's contract, as a bank administrator.</summary>
    public AccountsService.AccountsServiceClient Accounts { get; private set; } = null!;

    private string ConnectionString => $"{RealInfrastructure.Postgres};Database={_database}";

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceHost.StartAsync(b => b.AddAccounts(), a => a.MapAccounts(), new Dictionary<string, string?>
        {
            ["Authentication:Authority"] = bank.Identity.BaseAddress.ToString(),
            ["Databases:Accounts:Provider"] = "Postgres",
            ["Databases:Accounts:ConnectionString"] = ConnectionString,
            ["Redis:Configuration"] = RealInfrastructure.Redis,
        });
        var adminToken = await Tokens.ForPersonAsync(bank.Identity.Handler, "admin", "demo-admin", baseAddress: bank.Identity.BaseAddress);
        Accounts = new AccountsService.AccountsServiceClient(_host.Channel.WithToken(adminToken));

        Generated = await new BankData
        {
            ConnectionString = ConnectionString,
            Accounts = AccountCount,
            LedgerEntries = EntryCount,
            DocumentProtection = new DocumentProtectionOptions { HashKey = TestSettings.HashKey, SealKey = TestSettings.SealKey, SealKeyId = "test1" },
            FirstLearner = FirstLearner,
            SampleSize = SampleSize,
            AccountsPerChunk = 64, // several chunks over both connections
        }.WriteAsync(TestContext.Current.CancellationToken);
        AccountsCounted = await CountAsync("SELECT count(*) FROM accounts", default);
        EntriesCounted = await CountAsync("SELECT count(*) FROM ledger_entries", default);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    public async Task<long> CountAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }

    /// <summary>Banks one more outcome for a generated learner, as recognition announces it; returns their document number.</summary>
    public async Task<string> DepositAsync(long learner, decimal credits, CancellationToken ct)
    {
        var number = Learners.DocumentNumber(learner);
        IdentityDocument.TryParse(PersonalData.DocumentType.ResidentIdCard, number, out var document, out _);
        var learnerDocument = _host.Services.GetRequiredService<DocumentProtector>().Protect(document!);
        var now = DateTimeOffset.UtcNow;
        var recognised = new OutcomesRecognised
        {
            EventId = Guid.CreateVersion7(now),
            OccurredAt = now,
            Actor = "institution:4150012608",
            Outcomes =
            [
                new RecognisedOutcome(Guid.CreateVersion7(now), "4150012608",
                    new LearnerIdentity("RESIDENT_ID_CARD", learnerDocument.Hash, learnerDocument.Masked, learnerDocument.Sealed, Learners.Name(learner)),
                    "COURSE", "CS101 数据结构 (2025-2026-1)", credits),
            ],
        };
        await _host.Services.GetRequiredService<IBus>().Publish(recognised, c => c.MessageId = recognised.EventId, ct);
        return number;
    }
}
