using CreditBank.Contracts.Type.V1;

namespace CreditBank.Accounts.Domain;

public enum LedgerEntryKind
{
    /// <summary>存入: credits banked on recognition.</summary>
    Deposit = 1,

    /// <summary>冲正: credits taken back when an outcome is revoked.</summary>
    Reversal = 2,

    /// <summary>转换: credits applied to a programme.</summary>
    Conversion = 3,
}

/// <summary>One line of a learner's credit ledger (学分账本). Written once, never changed.</summary>
public sealed class LedgerEntry
{
    public Guid Id { get; init; }

    public Guid AccountId { get; init; }

    /// <summary>1, 2, 3 … per account, in append order.</summary>
    public long Sequence { get; init; }

    public LedgerEntryKind Kind { get; init; }

    /// <summary>Signed: positive adds to the balance, negative takes away.</summary>
    public decimal Credits { get; init; }

    public Guid OutcomeId { get; init; }

    public OutcomeKind OutcomeKind { get; init; }

    public string Description { get; init; } = string.Empty;

    /// <summary>The acting principal, e.g. <c>institution:4150012608</c>.</summary>
    public string Actor { get; init; } = string.Empty;

    /// <summary>The event that caused this entry.</summary>
    public Guid SourceEventId { get; init; }

    public DateTimeOffset PostedAt { get; init; }
}
