using CreditBank.Contracts.Accounts.V1;
using CreditBank.LoadGenerator.Measures;

namespace CreditBank.LoadGenerator.Scenarios;

/// <summary>
/// Scenario 3: GetAccount (balance by kind, entry count) over accounts with 10–200 ledger entries, as a bank
/// administrator reads them, from a fixed number of callers.
/// </summary>
public static class AccountReads
{
    /// <summary>Reads every account once, so that a cache in front of the database holds them all.</summary>
    public static async Task WarmAsync(BankConnection bank, IReadOnlyList<Guid> accounts, CancellationToken ct = default)
    {
        var client = new AccountsService.AccountsServiceClient(bank.AccountsAsAdministrator);
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct },
            async (id, token) => await client.GetAccountAsync(new GetAccountRequest { AccountId = id.ToString() }, cancellationToken: token));
    }

    public static Task<ClosedLoopResult> RunAsync(BankConnection bank, IReadOnlyList<Guid> accounts, int callers, TimeSpan duration, TimeSpan warmUp,
        CancellationToken ct = default)
    {
        var client = new AccountsService.AccountsServiceClient(bank.AccountsAsAdministrator);
        var ids = accounts.Select(a => a.ToString()).ToArray();
        // A fixed stride through the accounts: every caller reads a different account each time, none twice in a row.
        return ClosedLoop.RunAsync(callers, duration, warmUp, async n =>
            await client.GetAccountAsync(new GetAccountRequest { AccountId = ids[n * 7919 % ids.Length] }, cancellationToken: ct));
    }
}
