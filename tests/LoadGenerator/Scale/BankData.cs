using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using CreditBank.PersonalData;
using Npgsql;
using NpgsqlTypes;

namespace CreditBank.LoadGenerator.Scale;

/// <summary>
/// A credit bank at scale (学分银行), written straight into the accounts service's PostgreSQL tables with binary COPY:
/// one account for each of <see cref="Accounts"/> learners from <see cref="FirstLearner"/> on, each with 10 to 200
/// ledger entries exactly as the service would have posted them — sequence 1 … n and version n, deposits worded as the
/// service words them, now and then a reversal (冲正) of an earlier deposit. The database must already be migrated by
/// the accounts service and hold none of these learners; nothing else should write to it meanwhile.
/// </summary>
/// <example>
/// <code>
/// var bank = await new BankData { ConnectionString = cs, Accounts = 1_000_000, LedgerEntries = 20_000_000, DocumentProtection = keys }.WriteAsync(ct);
/// </code>
/// </example>
public sealed class BankData
{
    public required string ConnectionString { get; init; }

    public required int Accounts { get; init; }

    /// <summary>In all, 10 to 200 times <see cref="Accounts"/>: the mean number of entries an account gets.</summary>
    public required long LedgerEntries { get; init; }

    /// <summary>The accounts service's keys: LookupAccount finds a generated learner only by a hash made with its key.</summary>
    public required DocumentProtectionOptions DocumentProtection { get; init; }

    /// <summary>The first account's learner number (<see cref="Learners"/>); the next <see cref="Accounts"/> are all taken.</summary>
    public long FirstLearner { get; init; }

    /// <summary>The same seed makes the same entry counts, credits and wording; with the same <see cref="Until"/>, the same ids too.</summary>
    public int Seed { get; init; } = 20_261_124;

    /// <summary>How many accounts, spread evenly over the bank, <see cref="GeneratedBank.Sample"/> describes.</summary>
    public int SampleSize { get; init; } = 10_000;

    /// <summary>Chunks are copied over this many connections at once.</summary>
    public int Connections { get; init; } = 2;

    /// <summary>Accounts per COPY transaction (with all their entries): what is held in memory per connection.</summary>
    public int AccountsPerChunk { get; init; } = 5_000;

    /// <summary>The last entry is posted just before this; the bank's history reaches back three years from it.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Told the number of ledger entries committed so far, after each chunk.</summary>
    public IProgress<long>? Progress { get; init; }

    /// <summary>Writes the bank, then vacuums and analyses both tables and checkpoints, so that what is measured next finds them settled.</summary>
    public async Task<GeneratedBank> WriteAsync(CancellationToken ct = default)
    {
        Validate();
        var clock = Stopwatch.StartNew();
        var history = new LedgerHistory(this, Until ?? DateTimeOffset.UtcNow.AddMinutes(-1));
        var full = Channel.CreateBounded<BankChunk>(Connections);
        var free = Channel.CreateUnbounded<BankChunk>();
        for (var i = 0; i < Connections + 1; i++)
        {
            free.Writer.TryWrite(new BankChunk());
        }

        var written = new Written();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var copies = Enumerable.Range(0, Connections).Select(_ => Task.Run(async () =>
        {
            try
            {
                await CopyAsync(history, full.Reader, free.Writer, written, stop.Token);
            }
            catch
            {
                await stop.CancelAsync();
                throw;
            }
        }, CancellationToken.None)).ToList();

        try
        {
            await Task.Run(async () =>
            {
                while (history.HasMore)
                {
                    var chunk = await free.Reader.ReadAsync(stop.Token);
                    history.Fill(chunk);
                    await full.Writer.WriteAsync(chunk, stop.Token);
                }
            }, stop.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // A copy failed and stopped the rest: its own exception is the one to see, below.
        }
        finally
        {
            full.Writer.TryComplete();
        }

        await Task.WhenAll(copies);
        ct.ThrowIfCancellationRequested();

        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var settle = new NpgsqlCommand("VACUUM (ANALYZE) accounts, ledger_entries", connection) { CommandTimeout = 0 };
            await settle.ExecuteNonQueryAsync(ct);
            await TryCheckpointAsync(connection, ct);
        }

        return new GeneratedBank(written.Accounts, written.Entries, history.Reversals, clock.Elapsed, history.Sample);
    }

    private async Task CopyAsync(LedgerHistory history, ChannelReader<BankChunk> full, ChannelWriter<BankChunk> free, Written written,
        CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await TrySkipForeignKeyChecksAsync(connection, ct);
        await foreach (var chunk in full.ReadAllAsync(ct))
        {
            await using (var transaction = await connection.BeginTransactionAsync(ct))
            {
                // Accounts first: the ledger's foreign key looks for them within the same transaction.
                CopyAccounts(connection, chunk);
                CopyEntries(connection, chunk, history);
                await transaction.CommitAsync(ct);
            }

            var entries = written.Add(chunk.Accounts.Count, chunk.Entries.Count);
            Progress?.Report(entries);
            chunk.Clear();
            free.TryWrite(chunk);
        }
    }

    /// <summary>
    /// The ledger's foreign key holds by construction: every entry names an account of its own chunk, copied just before
    /// it in the same transaction. Checked row by row it costs nearly half of PostgreSQL's time, so where the role may (a
    /// superuser, as <c>make bench</c> connects) the session leaves the check out; the constraint itself stays as the
    /// service made it. Any other role copies with the check.
    /// </summary>
    private static async Task TrySkipForeignKeyChecksAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        try
        {
            await using var replica = new NpgsqlCommand("SET session_replication_role = replica", connection);
            await replica.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
        }
    }

    /// <summary>
    /// Writes the generated pages out now. Left to itself, PostgreSQL spreads the checkpoint that gigabytes of COPY
    /// trigger over the next minutes — measured: the whole of the reads and submits that follow. Needs a superuser or
    /// <c>pg_checkpoint</c>; any other role leaves it to PostgreSQL.
    /// </summary>
    public static async Task TryCheckpointAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        try
        {
            await using var checkpoint = new NpgsqlCommand("CHECKPOINT", connection) { CommandTimeout = 0 };
            await checkpoint.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
        }
    }

    // The rows go out through the synchronous writer: 20 million rows of eleven columns are too many awaits to pay for.
    private static void CopyAccounts(NpgsqlConnection connection, BankChunk chunk)
    {
        using var copy = connection.BeginBinaryImport(
            "COPY accounts (id, document_type, document_hash, document_masked, document_sealed, name, opened_at, opened_by, version, " +
            "course_credits, skill_certificate_credits, vocational_qualification_credits, special_ability_credits, training_record_credits, " +
            "competition_award_credits, informal_outcome_credits, converted_credits) FROM STDIN (FORMAT BINARY)");
        var held = CollectionsMarshal.AsSpan(chunk.HeldCents);
        foreach (ref readonly var account in CollectionsMarshal.AsSpan(chunk.Accounts))
        {
            copy.StartRow();
            copy.Write(account.Id, NpgsqlDbType.Uuid);
            copy.Write((int)DocumentType.ResidentIdCard, NpgsqlDbType.Integer);
            copy.Write(account.DocumentHash, NpgsqlDbType.Varchar);
            copy.Write(account.DocumentMasked, NpgsqlDbType.Varchar);
            copy.Write(account.DocumentSealed, NpgsqlDbType.Varchar);
            copy.Write(account.Name, NpgsqlDbType.Varchar);
            copy.Write(account.OpenedAt, NpgsqlDbType.TimestampTz);
            copy.Write(account.OpenedBy, NpgsqlDbType.Varchar);
            copy.Write((long)account.Version, NpgsqlDbType.Bigint);
            // Its holdings, as the service keeps them with every append: banked credits by outcome kind, none converted.
            foreach (var cents in held[..BankChunk.OutcomeKinds])
            {
                copy.Write(Credits(cents), NpgsqlDbType.Numeric);
            }

            copy.Write(0m, NpgsqlDbType.Numeric);
            held = held[BankChunk.OutcomeKinds..];
        }

        copy.Complete();
    }

    private static void CopyEntries(NpgsqlConnection connection, BankChunk chunk, LedgerHistory history)
    {
        using var copy = connection.BeginBinaryImport(
            "COPY ledger_entries (id, account_id, sequence, kind, credits, outcome_id, outcome_kind, description, actor, source_event_id, posted_at) FROM STDIN (FORMAT BINARY)");
        var accounts = CollectionsMarshal.AsSpan(chunk.Accounts);
        foreach (ref readonly var entry in CollectionsMarshal.AsSpan(chunk.Entries))
        {
            copy.StartRow();
            copy.Write(entry.Id, NpgsqlDbType.Uuid);
            copy.Write(accounts[entry.Account].Id, NpgsqlDbType.Uuid);
            copy.Write((long)entry.Sequence, NpgsqlDbType.Bigint);
            copy.Write(entry.Kind, NpgsqlDbType.Integer);
            copy.Write(Credits(entry.Cents), NpgsqlDbType.Numeric);
            copy.Write(entry.OutcomeId, NpgsqlDbType.Uuid);
            copy.Write(history.OutcomeKind(entry), NpgsqlDbType.Integer);
            copy.Write(history.Description(entry), NpgsqlDbType.Varchar);
            copy.Write(history.Actor(entry), NpgsqlDbType.Varchar);
            copy.Write(entry.SourceEventId, NpgsqlDbType.Uuid);
            copy.Write(entry.PostedAt, NpgsqlDbType.TimestampTz);
        }

        copy.Complete();
    }

    private static decimal Credits(long cents) => new((int)Math.Abs(cents), (int)(Math.Abs(cents) >> 32), 0, cents < 0, 2);

    private void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Accounts);
        ArgumentOutOfRangeException.ThrowIfNegative(FirstLearner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Connections);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(AccountsPerChunk);
        ArgumentOutOfRangeException.ThrowIfNegative(SampleSize);
        if (LedgerEntries < 10L * Accounts || LedgerEntries > 200L * Accounts)
        {
            throw new ArgumentOutOfRangeException(nameof(LedgerEntries), LedgerEntries,
                $"Every account holds 10 to 200 ledger entries: {Accounts} accounts take {10L * Accounts} to {200L * Accounts}.");
        }
    }

    /// <summary>What the copies have committed so far; shared by them.</summary>
    private sealed class Written
    {
        private long _accounts;
        private long _entries;

        public long Accounts => Interlocked.Read(ref _accounts);

        public long Entries => Interlocked.Read(ref _entries);

        /// <summary>Counts a committed chunk; returns the entries committed so far.</summary>
        public long Add(int accounts, int entries)
        {
            Interlocked.Add(ref _accounts, accounts);
            return Interlocked.Add(ref _entries, entries);
        }
    }
}

/// <summary>What <see cref="BankData.WriteAsync"/> wrote, and in how long (vacuum and analyse included).</summary>
/// <param name="Reversals">Of the ledger entries, how many are reversals; the rest are deposits.</param>
/// <param name="Sample">Accounts spread evenly over the bank, in the order written, with what GetAccount will show for each.</param>
public sealed record GeneratedBank(long Accounts, long LedgerEntries, long Reversals, TimeSpan Elapsed, IReadOnlyList<GeneratedAccount> Sample);

/// <summary>
/// A generated learner account as the accounts service shows it: GetAccount's <c>ledger_entry_count</c> and
/// <c>total_credits</c> (deposits less reversals); LookupAccount finds it by <see cref="DocumentNumber"/>.
/// </summary>
public sealed record GeneratedAccount(Guid AccountId, long Learner, long LedgerEntryCount, decimal TotalCredits)
{
    public string DocumentNumber => Learners.DocumentNumber(Learner);
}
