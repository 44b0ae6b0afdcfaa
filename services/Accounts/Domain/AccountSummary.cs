namespace CreditBank.Accounts.Domain;

/// <summary>An account with its balances, derived from the ledger: what a learner sees first.</summary>
public sealed record AccountSummary(Account Account, IReadOnlyList<Balance> Balances, long LedgerEntryCount)
{
    public decimal TotalCredits => Balances.Sum(b => b.Credits);

    /// <summary>Balances by outcome kind from per-kind sums of the ledger; kinds with nothing held are left out.</summary>
    public static AccountSummary Derive(Account account, IEnumerable<(OutcomeKind Kind, decimal Credits)> sums) =>
        new(account,
            sums.GroupBy(s => s.Kind)
                .Select(g => new Balance(g.Key, decimal.Round(g.Sum(s => s.Credits), 2)))
                .Where(b => b.Credits != 0)
                .OrderBy(b => b.OutcomeKind)
                .ToList(),
            account.Version);
}

public sealed record Balance(OutcomeKind OutcomeKind, decimal Credits);
