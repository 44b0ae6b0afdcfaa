using CreditBank.Accounts.Data;
using CreditBank.Accounts.Domain;
using CreditBank.Contracts.Events;
using CreditBank.Contracts.Learning;
using CreditBank.Messaging;

namespace CreditBank.Accounts.Events;

/// <summary>The one way ledger entries are announced, whatever caused them.</summary>
internal static class LedgerEvents
{
    /// <summary>The entries one actor's transaction appended, in one event.</summary>
    public static LedgerEntriesPosted Posted(IEnumerable<LedgerEntry> entries) => new()
    {
        Entries = entries.Select(e => new PostedLedgerEntry(e.AccountId, e.Id, e.Sequence, UpperSnake(e.Kind.ToString()), e.OutcomeId,
            OutcomeKinds.Name(e.OutcomeKind), e.Credits)).ToList(),
    };

    /// <summary>
    /// Appends entries one actor's transaction made to one account, announces them, and announces the account too when
    /// this fact opened it.
    /// </summary>
    public static void Record(AccountsDb db, Account account, bool opened, IReadOnlyList<LedgerEntry> entries, string actor, DateTimeOffset now)
    {
        db.LedgerEntries.AddRange(entries);
        db.Enqueue(actor, now, Posted(entries));
        if (opened)
        {
            LearnerAccounts.Announce(db, [account], actor, now);
        }
    }

    /// <summary><c>SkillCertificate</c> → <c>SKILL_CERTIFICATE</c>, as events name kinds.</summary>
    private static string UpperSnake(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}
