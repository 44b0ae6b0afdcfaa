using CreditBank.Accounts.Domain;
using CreditBank.Contracts.Events;
using CreditBank.Contracts.Learning;

namespace CreditBank.Accounts.Events;

/// <summary>The one way ledger entries are announced, whatever caused them.</summary>
internal static class LedgerEvents
{
    /// <summary>The entries one actor's transaction appended, in one event.</summary>
    public static LedgerEntriesPosted Posted(IEnumerable<LedgerEntry> entries, string actor, DateTimeOffset now) => new()
    {
        EventId = Guid.CreateVersion7(now),
        OccurredAt = now,
        Actor = actor,
        Entries = entries.Select(e => new PostedLedgerEntry(e.AccountId, e.Id, e.Sequence, UpperSnake(e.Kind.ToString()), e.OutcomeId,
            OutcomeKinds.Name(e.OutcomeKind), e.Credits)).ToList(),
    };

    /// <summary><c>SkillCertificate</c> → <c>SKILL_CERTIFICATE</c>, as events name kinds.</summary>
    private static string UpperSnake(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}
