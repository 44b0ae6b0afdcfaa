using Npgsql;

namespace CreditBank.LoadGenerator.Drill;

/// <summary>Each service's own database, read directly: the audit is the bank's auditor, not one of its users.</summary>
public sealed record BankDatabases(string Recognition, string Accounts, string Conversion);

/// <summary>
/// What the audit found for the outcomes recognition stored in a time window, by outcome id, across the three
/// databases. Every figure named "missing", "doubled", "wrong", "usable" or "mismatch" must be 0.
/// </summary>
public sealed record AuditFigures
{
    /// <summary>Outcomes recognition stored in the window.</summary>
    public long Outcomes { get; init; }

    /// <summary>Recognised (banked), now or before they were revoked.</summary>
    public long Recognised { get; init; }

    /// <summary>Stored but not recognised (pending review, rejected): the drill submits only what is recognised at once.</summary>
    public long NotRecognised { get; init; }

    /// <summary>Recognised outcomes with a deposit in the ledger.</summary>
    public long Deposited { get; init; }

    public long MissingDeposits { get; init; }

    /// <summary>Outcomes with more than one deposit.</summary>
    public long DoubledDeposits { get; init; }

    /// <summary>Deposits of another amount than recognition's credits, or of an outcome that was never recognised.</summary>
    public long WrongDeposits { get; init; }

    /// <summary>Recognised outcomes recognition now holds as revoked.</summary>
    public long Revoked { get; init; }

    /// <summary>Of those, revoked before their deposit was in the ledger (or when it never was): the race the drill is about.</summary>
    public long RevokedBeforeDeposit { get; init; }

    public long MissingReversals { get; init; }

    public long DoubledReversals { get; init; }

    /// <summary>Reversals of another amount than the deposit, or of an outcome that is not revoked.</summary>
    public long WrongReversals { get; init; }

    /// <summary>Recognised outcomes without a row in conversion's copy (learner_outcomes).</summary>
    public long MissingCopies { get; init; }

    /// <summary>Revoked outcomes whose copy in conversion still says revoked = false: usable for an exemption.</summary>
    public long RevokedButUsable { get; init; }

    /// <summary>Copies marked revoked whose outcome is not.</summary>
    public long WronglyRevokedCopies { get; init; }

    /// <summary>Every account in the ledger, not only the window's.</summary>
    public long Accounts { get; init; }

    /// <summary>Accounts whose holdings (per outcome kind, and converted) are not what their ledger entries sum to.</summary>
    public long HoldingsMismatches { get; init; }

    /// <summary>Accounts read back through GetAccount (its caches) after quiescence.</summary>
    public long AccountsReadBack { get; init; }

    /// <summary>Of those, answers whose credits or entry count are not the ledger's (a stale cached summary), or no answer.</summary>
    public long StaleReads { get; init; }

    /// <summary>What is wrong, one line per non-zero figure that must be 0 (empty: all held).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Zero(long figure, string what)
        {
            if (figure != 0)
            {
                problems.Add($"{figure:N0} {what}");
            }
        }

        Zero(NotRecognised, "outcomes not recognised (the drill submits only what is recognised at once)");
        Zero(MissingDeposits, "recognised outcomes without a deposit");
        Zero(DoubledDeposits, "outcomes deposited more than once");
        Zero(WrongDeposits, "deposits of a wrong amount or of an unrecognised outcome");
        Zero(MissingReversals, "revoked outcomes without a reversal");
        Zero(DoubledReversals, "outcomes reversed more than once");
        Zero(WrongReversals, "reversals of a wrong amount or of an outcome not revoked");
        Zero(MissingCopies, "recognised outcomes missing from conversion's copy");
        Zero(RevokedButUsable, "revoked outcomes still usable for conversion (learner_outcomes.revoked = false)");
        Zero(WronglyRevokedCopies, "outcomes marked revoked in conversion's copy but not in recognition");
        Zero(HoldingsMismatches, "accounts whose holdings are not the sum of their ledger");
        Zero(StaleReads, "accounts whose GetAccount answer is not their ledger");
        return problems;
    }

    /// <summary>Why a clean audit would prove nothing: no outcomes, no revocations, none of them racing its deposit.</summary>
    public IReadOnlyList<string> Vacuity()
    {
        var problems = new List<string>();
        if (Recognised == 0)
        {
            problems.Add("nothing was recognised: the audit proves nothing");
        }

        if (Revoked == 0)
        {
            problems.Add("no outcome was revoked: the reversal and conversion figures prove nothing");
        }
        else if (RevokedBeforeDeposit == 0)
        {
            problems.Add("no revocation was issued before its deposit was banked: the out-of-order race was not exercised");
        }

        if (AccountsReadBack == 0 && Revoked > 0)
        {
            problems.Add("no account was read back through GetAccount");
        }

        return problems;
    }
}

/// <summary>
/// The audit by outcome id: recognition's <c>outcomes</c> say what was recognised and revoked; accounts'
/// <c>ledger_entries</c> must hold exactly one deposit per recognised outcome and exactly one reversal per revoked one,
/// and <c>accounts</c> holdings must be their ledger's sums; conversion's <c>learner_outcomes</c> must hold every
/// recognised outcome, marked revoked exactly when it is. Reads tables, never events, so it holds whatever the events
/// look like.
/// </summary>
public static class ReliabilityAudit
{
    private const int Recognised = 1;
    private const int Revoked = 4;
    private const int Deposit = 1;
    private const int Reversal = 2;

    /// <param name="from">The window's start: outcomes recognition stored from then on (its <c>submitted_at</c>)…</param>
    /// <param name="to">… until then.</param>
    /// <param name="readBack">Reads an account through the public API: its total credits and ledger entry count (null: not read).</param>
    /// <param name="readBackLimit">How many of the accounts the window's revocations touched are read back.</param>
    public static async Task<AuditFigures> RunAsync(BankDatabases databases, DateTimeOffset from, DateTimeOffset to,
        Func<Guid, Task<(decimal Credits, long Entries)>>? readBack = null, int readBackLimit = 300, CancellationToken ct = default)
    {
        var outcomes = await OutcomesAsync(databases.Recognition, from, to, ct);
        var ids = outcomes.Keys.ToArray();
        var ledger = await LedgerAsync(databases.Accounts, ids, ct);
        var copies = await CopiesAsync(databases.Conversion, ids, ct);

        long recognised = 0, notRecognised = 0, deposited = 0, missingDeposits = 0, doubledDeposits = 0, wrongDeposits = 0;
        long revoked = 0, revokedBeforeDeposit = 0, missingReversals = 0, doubledReversals = 0, wrongReversals = 0;
        long missingCopies = 0, revokedButUsable = 0, wronglyRevoked = 0;
        var touched = new List<Guid>();
        foreach (var (id, outcome) in outcomes)
        {
            var entries = ledger.GetValueOrDefault(id);
            var deposit = entries?.Deposit;
            var reversal = entries?.Reversal;
            var wasRecognised = outcome.Status == Recognised || (outcome.Status == Revoked && outcome.Credits > 0);
            var isRevoked = outcome.Status == Revoked && outcome.Credits > 0;
            var copy = copies.TryGetValue(id, out var copyRevoked) ? copyRevoked : (bool?)null;
            if (!wasRecognised)
            {
                notRecognised++;
                wrongDeposits += deposit?.Count ?? 0;
                wrongReversals += reversal?.Count ?? 0;
                continue;
            }

            recognised++;
            if (deposit is null)
            {
                missingDeposits++;
            }
            else
            {
                deposited++;
                doubledDeposits += deposit.Count > 1 ? 1 : 0;
                wrongDeposits += deposit.Count == 1 && deposit.Credits != outcome.Credits ? 1 : 0;
            }

            if (copy is null)
            {
                missingCopies++;
            }

            if (isRevoked)
            {
                revoked++;
                revokedBeforeDeposit += deposit is null || outcome.RevokedAt < deposit.FirstPostedAt ? 1 : 0;
                if (reversal is null)
                {
                    missingReversals++;
                }
                else
                {
                    doubledReversals += reversal.Count > 1 ? 1 : 0;
                    wrongReversals += reversal.Count == 1 && deposit is not null && reversal.Credits != -deposit.Credits ? 1 : 0;
                    touched.Add(reversal.AccountId);
                }

                revokedButUsable += copy == false ? 1 : 0;
            }
            else
            {
                wrongReversals += reversal?.Count ?? 0;
                wronglyRevoked += copy == true ? 1 : 0;
            }
        }

        var (accounts, mismatches) = await HoldingsAsync(databases.Accounts, ct);
        var (readBackCount, stale) = readBack is null ? (0L, 0L) : await ReadBackAsync(databases.Accounts, touched.Distinct().Take(readBackLimit).ToList(), readBack, ct);
        return new AuditFigures
        {
            Outcomes = outcomes.Count,
            Recognised = recognised,
            NotRecognised = notRecognised,
            Deposited = deposited,
            MissingDeposits = missingDeposits,
            DoubledDeposits = doubledDeposits,
            WrongDeposits = wrongDeposits,
            Revoked = revoked,
            RevokedBeforeDeposit = revokedBeforeDeposit,
            MissingReversals = missingReversals,
            DoubledReversals = doubledReversals,
            WrongReversals = wrongReversals,
            MissingCopies = missingCopies,
            RevokedButUsable = revokedButUsable,
            WronglyRevokedCopies = wronglyRevoked,
            Accounts = accounts,
            HoldingsMismatches = mismatches,
            AccountsReadBack = readBackCount,
            StaleReads = stale,
        };
    }

    private sealed record Outcome(int Status, decimal Credits, DateTimeOffset? RevokedAt);

    /// <summary>An outcome's deposits (or reversals): how many, their sum, the first one's time and account.</summary>
    private sealed record Entries(long Count, decimal Credits, DateTimeOffset FirstPostedAt, Guid AccountId);

    private sealed class LedgerOfOutcome
    {
        public Entries? Deposit { get; set; }

        public Entries? Reversal { get; set; }
    }

    private static async Task<Dictionary<Guid, Outcome>> OutcomesAsync(string database, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var outcomes = new Dictionary<Guid, Outcome>();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT id, status, credits, revoked_at FROM outcomes WHERE submitted_at >= @from AND submitted_at < @to", connection) { CommandTimeout = 300 };
        command.Parameters.AddWithValue("from", from.UtcDateTime);
        command.Parameters.AddWithValue("to", to.UtcDateTime);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            outcomes[reader.GetGuid(0)] = new Outcome(reader.GetInt32(1), reader.GetDecimal(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3));
        }

        return outcomes;
    }

    private static async Task<Dictionary<Guid, LedgerOfOutcome>> LedgerAsync(string database, Guid[] outcomeIds, CancellationToken ct)
    {
        var ledger = new Dictionary<Guid, LedgerOfOutcome>();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        foreach (var chunk in outcomeIds.Chunk(10_000))
        {
            await using var command = new NpgsqlCommand("""
                SELECT outcome_id, kind, count(*), sum(credits), min(posted_at), min(account_id::text)::uuid
                FROM ledger_entries WHERE outcome_id = ANY(@ids) AND kind IN (1, 2) GROUP BY outcome_id, kind
                """, connection) { CommandTimeout = 300 };
            command.Parameters.AddWithValue("ids", chunk);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetGuid(0);
                var entries = new Entries(reader.GetInt64(2), reader.GetDecimal(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetGuid(5));
                var ofOutcome = ledger.TryGetValue(id, out var known) ? known : ledger[id] = new LedgerOfOutcome();
                if (reader.GetInt32(1) == Deposit)
                {
                    ofOutcome.Deposit = entries;
                }
                else if (reader.GetInt32(1) == Reversal)
                {
                    ofOutcome.Reversal = entries;
                }
            }
        }

        return ledger;
    }

    /// <summary>Conversion's copy: outcome id → revoked.</summary>
    private static async Task<Dictionary<Guid, bool>> CopiesAsync(string database, Guid[] outcomeIds, CancellationToken ct)
    {
        var copies = new Dictionary<Guid, bool>();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        foreach (var chunk in outcomeIds.Chunk(10_000))
        {
            await using var command = new NpgsqlCommand("SELECT outcome_id, revoked FROM learner_outcomes WHERE outcome_id = ANY(@ids)", connection) { CommandTimeout = 300 };
            command.Parameters.AddWithValue("ids", chunk);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                copies[reader.GetGuid(0)] = reader.GetBoolean(1);
            }
        }

        return copies;
    }

    /// <summary>Every account against its ledger: banked credits per outcome kind (deposits and reversals) and converted credits.</summary>
    private static async Task<(long Accounts, long Mismatches)> HoldingsAsync(string database, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            WITH sums AS (
                SELECT account_id,
                       sum(credits) FILTER (WHERE kind <> 3 AND outcome_kind = 1) AS course,
                       sum(credits) FILTER (WHERE kind <> 3 AND outcome_kind = 2) AS skill_certificate,
                       sum(credits) FILTER (WHERE kind <> 3 AND outcome_kind = 3) AS vocational_qualification,
                       sum(credits) FILTER (WHERE kind <> 3 AND outcome_kind = 4) AS special_ability,
                       sum(credits) FILTER (WHERE kind <> 3 AND outcome_kind = 5) AS training_record,
                       sum(credits) FILTER (WHERE kind <> 3 AND outcome_kind = 6) AS competition_award,
                       sum(credits) FILTER (WHERE kind <> 3 AND outcome_kind = 7) AS informal_outcome,
                       sum(credits) FILTER (WHERE kind = 3) AS converted
                FROM ledger_entries GROUP BY account_id)
            SELECT count(*),
                   count(*) FILTER (WHERE a.course_credits <> coalesce(s.course, 0)
                                       OR a.skill_certificate_credits <> coalesce(s.skill_certificate, 0)
                                       OR a.vocational_qualification_credits <> coalesce(s.vocational_qualification, 0)
                                       OR a.special_ability_credits <> coalesce(s.special_ability, 0)
                                       OR a.training_record_credits <> coalesce(s.training_record, 0)
                                       OR a.competition_award_credits <> coalesce(s.competition_award, 0)
                                       OR a.informal_outcome_credits <> coalesce(s.informal_outcome, 0)
                                       OR a.converted_credits <> coalesce(s.converted, 0))
            FROM accounts a LEFT JOIN sums s ON s.account_id = a.id
            """, connection) { CommandTimeout = 600 };
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Reads each account through the public API and compares it with what its ledger holds.</summary>
    private static async Task<(long Read, long Stale)> ReadBackAsync(string database, IReadOnlyList<Guid> accountIds,
        Func<Guid, Task<(decimal Credits, long Entries)>> readBack, CancellationToken ct)
    {
        if (accountIds.Count == 0)
        {
            return (0, 0);
        }

        var expected = new Dictionary<Guid, (decimal Credits, long Entries)>();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("""
                SELECT account_id, coalesce(sum(credits) FILTER (WHERE kind <> 3), 0), count(*)
                FROM ledger_entries WHERE account_id = ANY(@ids) GROUP BY account_id
                """, connection);
            command.Parameters.AddWithValue("ids", accountIds.ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                expected[reader.GetGuid(0)] = (reader.GetDecimal(1), reader.GetInt64(2));
            }
        }

        var stale = 0L;
        foreach (var id in accountIds)
        {
            var (credits, entries) = await readBack(id);
            var (ledgerCredits, ledgerEntries) = expected.GetValueOrDefault(id);
            stale += decimal.Round(credits, 2) != decimal.Round(ledgerCredits, 2) || entries != ledgerEntries ? 1 : 0;
        }

        return (accountIds.Count, stale);
    }
}
