namespace CreditBank.Contracts.Events;

/// <summary>A learner account (学习账户) was opened.</summary>
public sealed record AccountOpened : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string Actor { get; init; }

    public required Guid AccountId { get; init; }
    public required string DocumentType { get; init; }
    public required string DocumentHash { get; init; }
}
