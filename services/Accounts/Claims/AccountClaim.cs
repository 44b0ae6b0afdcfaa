using CreditBank.Accounts.Data;
using CreditBank.Accounts.Domain;
using CreditBank.Contracts.Events;
using CreditBank.Grpc;
using CreditBank.Messaging;
using CreditBank.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Accounts.Claims;

/// <summary>
/// A verified learner claiming the account the bank opened for their document (认领学习账户): once per account and once
/// per learner, written with <see cref="AccountClaimed"/>. That the document is the caller's own is the caller's check.
/// </summary>
internal sealed class AccountClaim(Lazy<AccountsDb> database, IAccountSummaryCache cache, TimeProvider time)
{
    private AccountsDb Db => database.Value;

    public async Task<Account> ClaimAsync(string documentHash, string subject, string actor, CancellationToken ct)
    {
        if (await Db.Accounts.AnyAsync(a => a.ClaimedBy == subject, ct))
        {
            throw Problems.AlreadyExists("ACCOUNT_ALREADY_CLAIMED", "You have already claimed your account; read it at GET /v1/accounts/me.");
        }

        // A deposit may bump the account's version between our read and our write: read again and retry.
        for (var attempt = 1; ; attempt++)
        {
            var account = await Db.Accounts.FirstOrDefaultAsync(a => a.DocumentHash == documentHash, ct)
                ?? throw Problems.NotFound("ACCOUNT_NOT_FOUND",
                    "No learner account (学习账户) is held for your document yet; one opens when a first outcome is recognised.");
            var now = time.GetUtcNow();
            if (!account.TryClaim(subject, now))
            {
                throw Problems.AlreadyExists("ACCOUNT_ALREADY_CLAIMED",
                    "This account has already been claimed. If that was not you, contact your workstation (工作站) to have it checked.");
            }

            Db.Enqueue(actor, now, new AccountClaimed { AccountId = account.Id, ClaimedBy = subject });
            try
            {
                await Db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                Db.ChangeTracker.Clear();
                continue;
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                throw Problems.AlreadyExists("ACCOUNT_ALREADY_CLAIMED", "You claimed an account at the same moment in another request.");
            }

            await cache.InvalidateAsync(account.Id);
            return account;
        }
    }
}
