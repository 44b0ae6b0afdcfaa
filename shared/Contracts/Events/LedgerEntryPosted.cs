namespace CreditBank.Contracts.Events;

/// <summary>An entry was appended to a learner's credit ledger.</summary>
public sealed record LedgerEntryPosted : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string Actor { get; init; }

    public required Guid AccountId { get; init; }
    public required Guid EntryId { get; init; }
    public required long Sequence { get; init; }

    /// <summary><c>DEPOSIT</c>, <c>REVERSAL</c> or <c>CONVERSION</c>.</summary>
    public required string EntryKind { get; init; }

    public required Guid OutcomeId { get; init; }
    public required string OutcomeKind { get; init; }
    public required decimal Credits { get; init; }
}
