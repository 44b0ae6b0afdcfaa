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

    /// <summary>Many entries appended together (a batch chunk's deposits), in one event.</summary>
    public static LedgerEntriesPosted PostedAll(IEnumerable<LedgerEntry> entries, string actor, DateTimeOffset now) => new()
    {
        EventId = Guid.CreateVersion7(now),
        OccurredAt = now,
        Actor = actor,
        Entries = entries.Select(e => new PostedLedgerEntry(e.AccountId, e.Id, e.Sequence, UpperSnake(e.Kind.ToString()), e.OutcomeId,
            UpperSnake(e.OutcomeKind.ToString()), e.Credits)).ToList(),
    };

    /// <summary><c>SkillCertificate</c> → <c>SKILL_CERTIFICATE</c>, as events name kinds.</summary>
    private static string UpperSnake(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}
