namespace CreditBank.Contracts.Events;

/// <summary>
/// Learner accounts (学习账户) were opened by one actor in one transaction: the new learners of a batch chunk, of
/// submissions banked together, or a single one (a list of one).
/// </summary>
public sealed record AccountsOpened : IntegrationEvent
{
    public required IReadOnlyList<OpenedAccount> Accounts { get; init; }
}

/// <summary>One account inside <see cref="AccountsOpened"/>.</summary>
public sealed record OpenedAccount(Guid AccountId, string DocumentType, string DocumentHash);
