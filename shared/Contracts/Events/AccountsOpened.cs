namespace CreditBank.Contracts.Events;

/// <summary>
/// Learner accounts (学习账户) were opened by one actor in one transaction: the new learners of a batch chunk, of
/// submissions banked together, or a single one (a list of one).
/// </summary>
public sealed record AccountsOpened : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string Actor { get; init; }

    public required IReadOnlyList<OpenedAccount> Accounts { get; init; }
}

/// <summary>One account inside <see cref="AccountsOpened"/>.</summary>
public sealed record OpenedAccount(Guid AccountId, string DocumentType, string DocumentHash);
