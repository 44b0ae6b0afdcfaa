namespace CreditBank.Contracts.Events;

/// <summary>
/// Entries were appended to learners' credit ledgers (学分账本) by one actor in one transaction: the deposits of a
/// batch chunk, a reversal, a conversion's entries. An entry is announced by exactly one of these events.
/// </summary>
public sealed record LedgerEntriesPosted : IntegrationEvent
{
    public required IReadOnlyList<PostedLedgerEntry> Entries { get; init; }
}

/// <summary>One entry inside <see cref="LedgerEntriesPosted"/>; <c>EntryKind</c> is <c>DEPOSIT</c>, <c>REVERSAL</c> or <c>CONVERSION</c>.</summary>
public sealed record PostedLedgerEntry(
    Guid AccountId,
    Guid EntryId,
    long Sequence,
    string EntryKind,
    Guid OutcomeId,
    string OutcomeKind,
    decimal Credits);
