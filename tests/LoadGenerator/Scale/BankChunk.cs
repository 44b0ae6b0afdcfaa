namespace CreditBank.LoadGenerator.Scale;

/// <summary>
/// A run of consecutive learners' accounts and all their ledger entries, made together and copied in one transaction.
/// Buffers are reused from one chunk to the next so that memory stays flat however large the bank.
/// </summary>
internal sealed class BankChunk
{
    /// <summary>The outcome kinds an account holds credits of (课程 … 非正式学习成果), numbered 1 to 7 as the service numbers them.</summary>
    public const int OutcomeKinds = 7;

    public readonly List<AccountRow> Accounts = [];

    /// <summary>Per account, in the order of <see cref="Accounts"/>: its banked cents of each outcome kind, kind 1 first.</summary>
    public readonly List<long> HeldCents = [];

    public readonly List<EntryRow> Entries = [];

    public void Clear()
    {
        Accounts.Clear();
        HeldCents.Clear();
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
    int Version);

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
