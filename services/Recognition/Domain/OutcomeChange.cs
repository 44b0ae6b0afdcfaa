using CreditBank.Contracts.Type.V1;

namespace CreditBank.Recognition.Domain;

/// <summary>What happened to a banked outcome, as the change feed tells it.</summary>
public enum OutcomeChangeKind
{
    Recognised = 1,

    /// <summary>Revoked after it had been recognised; an outcome revoked before it was ever recognised was never banked and is not in the feed.</summary>
    Revoked = 2,

    /// <summary>Its banked facts were corrected; the entry carries them as they now stand.</summary>
    Corrected = 3,
}

/// <summary>
/// One entry of the outcome change feed (成果变更流): written in the transaction that changed the outcome, read in
/// (<see cref="WriterXid"/>, <see cref="Position"/>) order by whoever keeps a copy of banked outcomes. It carries what
/// conversion keeps of an outcome, so a reader never needs the outcome itself.
/// </summary>
public sealed class OutcomeChange
{
    /// <summary>Assigned by the database on insert, increasing; the order within one writer's transaction.</summary>
    public long Position { get; private set; }

    /// <summary>
    /// On PostgreSQL the id of the transaction that wrote the entry, set by the table's trigger whatever is written
    /// here; readers serve only entries of transactions older than every one still running. 0 on SQLite (one writer
    /// at a time, so position order is commit order).
    /// </summary>
    public long WriterXid { get; init; }

    public required Guid OutcomeId { get; init; }

    public required OutcomeChangeKind Change { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string Actor { get; init; }

    public required string InstitutionCode { get; init; }

    /// <summary><c>RESIDENT_ID_CARD</c>, <c>PASSPORT</c> or <c>HMT_RESIDENCE_PERMIT</c>.</summary>
    public required string LearnerDocumentType { get; init; }

    public required string LearnerDocumentHash { get; init; }

    public required OutcomeKind Kind { get; init; }

    public required string Title { get; init; }

    public decimal Credits { get; init; }

    public string? UnitCode { get; init; }

    public string? StandardCode { get; init; }

    public int Level { get; init; }

    public string? CourseCode { get; init; }

    public string? GradeScheme { get; init; }

    public string? GradeValue { get; init; }

    public int Hours { get; init; }

    public DateOnly AchievedOn { get; init; }

    public string? ReasonCode { get; init; }

    public Guid? BatchId { get; init; }
}
