using CreditBank.Accounts.Domain;
using CreditBank.Contracts.Events;

namespace CreditBank.Accounts.Events;

/// <summary>The one way a ledger entry is announced, whatever caused it.</summary>
internal static class LedgerEvents
{
    public static LedgerEntryPosted Posted(LedgerEntry entry, string actor, DateTimeOffset now) => new()
    {
        EventId = Guid.CreateVersion7(now),
        OccurredAt = now,
        Actor = actor,
        AccountId = entry.AccountId,
        EntryId = entry.Id,
        Sequence = entry.Sequence,
        EntryKind = UpperSnake(entry.Kind.ToString()),
        OutcomeId = entry.OutcomeId,
        OutcomeKind = UpperSnake(entry.OutcomeKind.ToString()),
        Credits = entry.Credits,
    };

    /// <summary><c>SkillCertificate</c> → <c>SKILL_CERTIFICATE</c>, as events name kinds.</summary>
    private static string UpperSnake(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}
