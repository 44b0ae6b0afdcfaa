using CreditBank.Contracts.Accounts.V1;
using Grpc.Core;

namespace CreditBank.TestSupport;

/// <summary>Waiting, as a user would, for a learner's account to open and its ledger to reach a number of entries.</summary>
public static class Ledgers
{
    /// <summary>The learner's account (found by 居民身份证) once its ledger holds at least <paramref name="entries"/> entries.</summary>
    public static async Task<GetAccountResponse> WaitForLedgerAsync(this AccountsService.AccountsServiceClient accounts, string documentNumber,
        long entries, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var lookup = await Eventually.Until(async () =>
        {
            try
            {
                return await accounts.LookupAccountAsync(
                    new LookupAccountRequest { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = documentNumber }, cancellationToken: ct);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return null;
            }
        }, found => found is not null, timeout, "the learner's account to open");
        return await Eventually.Until(
            () => accounts.GetAccountAsync(new GetAccountRequest { AccountId = lookup!.Account.AccountId }, cancellationToken: ct).ResponseAsync,
            summary => summary.LedgerEntryCount >= entries, timeout, $"{entries} ledger entries");
    }
}
