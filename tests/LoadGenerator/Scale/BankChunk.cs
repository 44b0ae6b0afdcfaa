namespace CreditBank.LoadGenerator.Scale;

/// <summary>
/// A run of consecutive learners' accounts and all their ledger entries, made together and copied in one transaction.
/// Buffers are reused from one chunk to the next so that memory stays flat however large the bank.
/// </summary>
internal sealed class BankChunk
{
    public readonly List<AccountRow> Accounts = [];

    public readonly List<EntryRow> Entries = [];

    public void Clear()
    {
        Accounts.Clear();
        Entries.Clear();
    }
}

/// <summary>One row of <c>accounts</c>.</summary>
internal readonly record struct AccountRow(
    Guid Id,
    long Learner,
    string DocumentHash,
    string DocumentMasked,
    string DocumentSealed,
    string Name,
    DateTime OpenedAt,
    string OpenedBy,
    int Version,
    long TotalCents);

/// <summary>One row of <c>ledger_entries</c>; the account by its place in the chunk, the wording by its outcome line.</summary>
internal readonly record struct EntryRow(
    Guid Id,
    int Account,
    int Sequence,
    int Kind,
    int Cents,
    Guid OutcomeId,
    int Line,
    int Reason,
    Guid SourceEventId,
    DateTime PostedAt);
