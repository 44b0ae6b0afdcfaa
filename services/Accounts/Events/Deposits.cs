using CreditBank.Accounts.Data;
using CreditBank.Accounts.Domain;
using CreditBank.Contracts.Events;
using CreditBank.Contracts.Learning;
using CreditBank.Messaging;
using CreditBank.Persistence;
using CreditBank.PersonalData;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Accounts.Events;

/// <summary>One recognised outcome to bank, from an <see cref="OutcomesRecognised"/>.</summary>
internal sealed record DepositOrder(Guid OutcomeId, LearnerIdentity Learner, decimal Credits, string OutcomeKind, string Title, string InstitutionCode,
    string Actor, Guid SourceEventId);

/// <summary>What banking a set of orders did: the deposits made and the accounts they went to.</summary>
internal sealed record Banked(IReadOnlyList<LedgerEntry> Deposits, IReadOnlySet<Guid> Accounts);

/// <summary>Banks recognised outcomes (存入): opens the accounts learners do not have yet and appends a deposit each.</summary>
/// <remarks>
/// Many orders at once cost what one costs: one query for the accounts, one for deposits already made, then the new
/// accounts, the existing accounts' new versions and holdings, and the deposits, each written in one go
/// (<see cref="BulkInsert.InsertAllAsync"/>, <see cref="MovedAccounts.SaveMovedAsync"/>). An existing account's
/// <see cref="Account.Version"/> is checked against the one it was read at: it serialises appends to one account. Two
/// transactions appending to the same account at once collide on that version, on the ledger's unique
/// (account, sequence) or on a new account's document hash, and the loser is retried by MassTransit from a clean slate,
/// so no deposit is lost or made twice.
/// </remarks>
internal static class Deposits
{
    /// <summary>
    /// Banks <paramref name="orders"/> in the caller's transaction and announces the accounts it opens, one
    /// <see cref="AccountsOpened"/> per actor; announcing the deposits is the caller's. An outcome whose reversal came
    /// first (its revocation overtook it) is deposited all the same: the pair nets to nothing, as it would have in order.
    /// </summary>
    public static async Task<Banked> BankAsync(AccountsDb db, IReadOnlyList<DepositOrder> orders, DateTimeOffset now, CancellationToken ct)
    {
        var hashes = orders.Select(o => o.Learner.DocumentHash).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => hashes.Contains(a.DocumentHash)).ToDictionaryAsync(a => a.DocumentHash, ct);
        var held = accounts.Values.Select(a => new MovedAccount(a, a.Version)).ToList();
        var outcomeIds = orders.Select(o => o.OutcomeId).ToList();
        // Defence in depth behind the inbox: an outcome already deposited (e.g. also sent in a batch) is not deposited twice.
        var done = (await db.LedgerEntries.Where(l => outcomeIds.Contains(l.OutcomeId) && l.Kind == LedgerEntryKind.Deposit)
            .Select(l => l.OutcomeId).ToListAsync(ct)).ToHashSet();
        var opened = new List<Account>();
        var identified = new List<Account>();
        var deposits = new List<LedgerEntry>();
        foreach (var order in orders)
        {
            if (!done.Add(order.OutcomeId))
            {
                continue;
            }

            if (!accounts.TryGetValue(order.Learner.DocumentHash, out var account))
            {
                account = LearnerAccounts.Open(order.Learner, order.Actor, now);
                accounts[order.Learner.DocumentHash] = account;
                opened.Add(account);
            }
            else if (account.Identify(order.Learner.DocumentMasked, order.Learner.DocumentSealed, order.Learner.Name))
            {
                identified.Add(account);
            }

            deposits.Add(account.Append(LedgerEntryKind.Deposit, order.Credits, order.OutcomeId, OutcomeKinds.Parse(order.OutcomeKind),
                $"存入 · {order.Title} · {order.InstitutionCode}", order.Actor, order.SourceEventId, now));
        }

        // Accounts before their entries (foreign key). Each in key order, so that two transactions wanting the same keys
        // queue behind each other instead of deadlocking.
        await db.InsertAllAsync(opened.OrderBy(a => a.DocumentHash, StringComparer.Ordinal).ToList(), ct);
        foreach (var account in identified)
        {
            // Rare: an account a conversion opened by hash alone, before any deposit of its learner.
            await db.Accounts.Where(a => a.Id == account.Id).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.DocumentMasked, account.DocumentMasked)
                .SetProperty(a => a.DocumentSealed, account.DocumentSealed)
                .SetProperty(a => a.Name, account.Name), ct);
        }

        await db.SaveMovedAsync(held.Where(h => h.Account.Version != h.ReadVersion).ToList(), ct);
        await db.InsertAllAsync(deposits.OrderBy(d => d.AccountId).ThenBy(d => d.Sequence).ToList(), ct);

        foreach (var byActor in opened.GroupBy(o => o.OpenedBy, StringComparer.Ordinal))
        {
            LearnerAccounts.Announce(db, byActor.ToList(), byActor.Key, now);
        }

        return new Banked(deposits, deposits.Select(d => d.AccountId).ToHashSet());
    }

    /// <summary>After the commit: cached summaries of the accounts that changed are stale.</summary>
    public static Task ForgetCachedAsync(IAccountSummaryCache cache, Banked banked) =>
        Task.WhenAll(banked.Accounts.Select(cache.InvalidateAsync));
}
