using CreditBank.Contracts.Type.V1;
using CreditBank.PersonalData;

namespace CreditBank.Accounts.Domain;

/// <summary>A learner account (学习账户): one per person, for life, keyed by the keyed hash of their identity document.</summary>
public sealed class Account
{
    public Guid Id { get; init; }

    public required DocumentType DocumentType { get; init; }

    /// <summary>HMAC of the document number: the only way an account is found.</summary>
    public required string DocumentHash { get; init; }

    /// <summary>For display; empty until the learner is known (see <see cref="KnowsLearner"/>).</summary>
    public required string DocumentMasked { get; set; }

    /// <summary>AES-GCM ciphertext, for lawful read-back only; empty until the learner is known.</summary>
    public required string DocumentSealed { get; set; }

    public required string Name { get; set; }

    /// <summary>
    /// False for an account opened by a fact that names the learner only by document hash (a conversion that reached
    /// accounts before any deposit of theirs): the first fact that names them in full fills the rest in (<see cref="Identify"/>).
    /// </summary>
    public bool KnowsLearner => DocumentSealed.Length > 0;

    /// <summary>A learner's account (学习账户), opened by the first fact about them that reaches accounts.</summary>
    public static Account Open(DocumentType documentType, string documentHash, string documentMasked, string documentSealed, string name,
        string openedBy, DateTimeOffset at) => new()
        {
            Id = Guid.CreateVersion7(at),
            DocumentType = documentType,
            DocumentHash = documentHash,
            DocumentMasked = documentMasked,
            DocumentSealed = documentSealed,
            Name = name,
            OpenedAt = at,
            OpenedBy = openedBy,
        };

    /// <summary>Fills in the learner of an account opened by hash alone; an account that knows its learner keeps them.</summary>
    public bool Identify(string documentMasked, string documentSealed, string name)
    {
        if (KnowsLearner)
        {
            return false;
        }

        (DocumentMasked, DocumentSealed, Name) = (documentMasked, documentSealed, name);
        return true;
    }

    public DateTimeOffset OpenedAt { get; init; }

    /// <summary>Who opened it: the institution whose outcome first named the learner, or the learner.</summary>
    public required string OpenedBy { get; init; }

    /// <summary>The identity-service subject of the learner who claimed the account (认领), once; null until then.</summary>
    public string? ClaimedBy { get; private set; }

    public DateTimeOffset? ClaimedAt { get; private set; }

    /// <summary>Binds the account to a learner's login. Refused when it is already claimed, by them or anyone.</summary>
    public bool TryClaim(string subject, DateTimeOffset at)
    {
        if (ClaimedBy is not null)
        {
            return false;
        }

        (ClaimedBy, ClaimedAt) = (subject, at);
        return true;
    }

    /// <summary>The number of ledger entries; every append bumps it, so concurrent appends to one account serialise.</summary>
    public long Version { get; private set; }

    /// <summary>Its balances, moved by every append in the same write as <see cref="Version"/>.</summary>
    public Holdings Holdings { get; private set; } = new();

    /// <summary>Appends an entry. The ledger is append-only: corrections are new entries (a reversal), never edits.</summary>
    public LedgerEntry Append(LedgerEntryKind kind, decimal credits, Guid outcomeId, OutcomeKind outcomeKind,
        string description, string actor, Guid sourceEventId, DateTimeOffset at)
    {
        Version++;
        Holdings.Post(kind, outcomeKind, credits);
        return new LedgerEntry
        {
            Id = Guid.CreateVersion7(at),
            AccountId = Id,
            Sequence = Version,
            Kind = kind,
            Credits = credits,
            OutcomeId = outcomeId,
            OutcomeKind = outcomeKind,
            Description = description,
            Actor = actor,
            SourceEventId = sourceEventId,
            PostedAt = at,
        };
    }
}
