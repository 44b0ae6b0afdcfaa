namespace CreditBank.Contracts.Events;

/// <summary>
/// Many entries were appended to learners' credit ledgers at once (the deposits of one chunk of a 批量提交). Carries
/// what a <see cref="LedgerEntryPosted"/> carries for each; an entry is announced by exactly one of the two types.
/// </summary>
public sealed record LedgerEntriesPosted : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string Actor { get; init; }

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
