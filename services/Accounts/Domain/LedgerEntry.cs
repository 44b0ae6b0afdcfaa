namespace CreditBank.Accounts.Domain;

public enum LedgerEntryKind
{
    /// <summary>存入: credits banked on recognition.</summary>
    Deposit = 1,

    /// <summary>冲正: credits taken back when an outcome is revoked.</summary>
    Reversal = 2,

    /// <summary>转换: credits applied to a programme.</summary>
    Conversion = 3,
}

/// <summary>Same numbers as recognition's outcome kinds (学习成果类型).</summary>
public enum OutcomeKind
{
    Course = 1,
    SkillCertificate = 2,
    VocationalQualification = 3,
    SpecialAbility = 4,
    TrainingRecord = 5,
    CompetitionAward = 6,
    InformalOutcome = 7,
}

public static class OutcomeKinds
{
    /// <summary>The event's kind name as a ledger kind; an unknown name fails the message (it goes to _error, not lost).</summary>
    public static OutcomeKind Parse(string kind) => kind switch
    {
        "COURSE" => OutcomeKind.Course,
        "SKILL_CERTIFICATE" => OutcomeKind.SkillCertificate,
        "VOCATIONAL_QUALIFICATION" => OutcomeKind.VocationalQualification,
        "SPECIAL_ABILITY" => OutcomeKind.SpecialAbility,
        "TRAINING_RECORD" => OutcomeKind.TrainingRecord,
        "COMPETITION_AWARD" => OutcomeKind.CompetitionAward,
        "INFORMAL_OUTCOME" => OutcomeKind.InformalOutcome,
        _ => throw new InvalidOperationException($"Outcome kind {kind} is not one this version of accounts knows."),
    };
}

/// <summary>One line of a learner's credit ledger (学分账本). Written once, never changed.</summary>
public sealed class LedgerEntry
{
    public Guid Id { get; init; }

    public Guid AccountId { get; init; }

    /// <summary>1, 2, 3 … per account, in append order.</summary>
    public long Sequence { get; init; }

    public LedgerEntryKind Kind { get; init; }

    /// <summary>Signed: positive adds to the balance, negative takes away.</summary>
    public decimal Credits { get; init; }

    public Guid OutcomeId { get; init; }

    public OutcomeKind OutcomeKind { get; init; }

    public string Description { get; init; } = string.Empty;

    /// <summary>The acting principal, e.g. <c>institution:4150012608</c>.</summary>
    public string Actor { get; init; } = string.Empty;

    /// <summary>The event that caused this entry.</summary>
    public Guid SourceEventId { get; init; }

    public DateTimeOffset PostedAt { get; init; }
}
