using CreditBank.Accounts.Data;
using CreditBank.Accounts.Domain;
using CreditBank.Contracts.Events;
using CreditBank.Messaging;
using CreditBank.PersonalData;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Accounts.Events;

/// <summary>
/// Finds the account a fact is about, or opens it: whichever fact about a learner reaches accounts first — a deposit, a
/// reversal, a conversion — opens their account, so that no fact waits for another.
/// </summary>
/// <remarks>
/// Two transactions opening the same learner's account collide on its unique document hash; the loser is retried from
/// a clean slate and finds the account the winner opened.
/// </remarks>
internal static class LearnerAccounts
{
    /// <summary>The learner's account, tracked, opened if they have none; <paramref name="opened"/> says which.</summary>
    public static async Task<(Account Account, bool Opened)> FindOrOpenAsync(AccountsDb db, LearnerIdentity learner, string actor, DateTimeOffset now,
        CancellationToken ct)
    {
        if (await db.Accounts.FirstOrDefaultAsync(a => a.DocumentHash == learner.DocumentHash, ct) is { } account)
        {
            account.Identify(learner.DocumentMasked, learner.DocumentSealed, learner.Name);
            return (account, false);
        }

        account = Open(learner, actor, now);
        db.Accounts.Add(account);
        return (account, true);
    }

    /// <summary>
    /// The learner's account, tracked, opened by document hash alone if they have none: a conversion names the learner
    /// by hash only, and the first deposit or reversal fills in the rest (<see cref="Account.Identify"/>).
    /// </summary>
    public static async Task<(Account Account, bool Opened)> FindOrOpenByHashAsync(AccountsDb db, string documentType, string documentHash, string actor,
        DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Accounts.FirstOrDefaultAsync(a => a.DocumentHash == documentHash, ct) is { } account)
        {
            return (account, false);
        }

        account = Account.Open(ParseDocumentType(documentType), documentHash, string.Empty, string.Empty, string.Empty, actor, now);
        db.Accounts.Add(account);
        return (account, true);
    }

    /// <summary>A learner's account, not yet stored: the caller stores and announces it.</summary>
    public static Account Open(LearnerIdentity learner, string actor, DateTimeOffset now) =>
        Account.Open(ParseDocumentType(learner.DocumentType), learner.DocumentHash, learner.DocumentMasked, learner.DocumentSealed, learner.Name, actor, now);

    /// <summary>One actor's accounts opened in one transaction, in one event (a batch chunk opens hundreds).</summary>
    public static void Announce(AccountsDb db, IReadOnlyCollection<Account> opened, string actor, DateTimeOffset now)
    {
        if (opened.Count == 0)
        {
            return;
        }

        db.Enqueue(actor, now, new AccountsOpened
        {
            Accounts = opened.Select(a => new OpenedAccount(a.Id, DocumentTypeName(a.DocumentType), a.DocumentHash)).ToList(),
        });
    }

    private static DocumentType ParseDocumentType(string type) => type switch
    {
        "RESIDENT_ID_CARD" => DocumentType.ResidentIdCard,
        "PASSPORT" => DocumentType.Passport,
        "HMT_RESIDENCE_PERMIT" => DocumentType.HmtResidencePermit,
        _ => throw new InvalidOperationException($"Document type {type} is not one this version of accounts knows."),
    };

    private static string DocumentTypeName(DocumentType type) => type switch
    {
        DocumentType.ResidentIdCard => "RESIDENT_ID_CARD",
        DocumentType.Passport => "PASSPORT",
        _ => "HMT_RESIDENCE_PERMIT",
    };
}
