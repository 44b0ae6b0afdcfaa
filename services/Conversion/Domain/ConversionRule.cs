namespace CreditBank.Conversion.Domain;

/// <summary>
/// One version of a conversion rule (转换规则): from what a learner holds to the courses of a programme it exempts
/// (免修免考). Rules are never edited: a change is a new version, and decisions cite the version they used.
/// </summary>
public sealed record ConversionRule
{
    /// <summary>Stable across versions, e.g. <c>R-WEB-INT-SE201</c>.</summary>
    public required string RuleId { get; init; }

    public required int Version { get; init; }

    public required string ProgrammeCode { get; init; }

    public required Condition From { get; init; }

    /// <summary>Codes of the programme's courses it exempts.</summary>
    public required IReadOnlyList<string> Exempts { get; init; }

    /// <summary>Credits granted; null means the exempted courses' credits.</summary>
    public decimal? Credits { get; init; }

    /// <summary>At most this many credits from this rule (a per-rule cap below the programme's).</summary>
    public decimal? MaxCredits { get; init; }

    /// <summary>Outcomes older than this (from achievement to evaluation) do not count (validity window).</summary>
    public int? ValidForYears { get; init; }

    /// <summary>The rule does not apply to a learner who also holds this (an exception, e.g. already took the course).</summary>
    public Condition? Unless { get; init; }

    /// <summary>Outcomes issued by these institutions never count under this rule (an exclusion).</summary>
    public IReadOnlyList<string> ExcludedInstitutions { get; init; } = [];

    public required DateOnly EffectiveFrom { get; init; }

    /// <summary>Exclusive; null while the version is current.</summary>
    public DateOnly? EffectiveTo { get; init; }

    public bool IsEffectiveOn(DateOnly day) => EffectiveFrom <= day && (EffectiveTo is null || day < EffectiveTo);

    public decimal GrantedCredits(Programme programme)
    {
        var credits = Credits ?? Exempts.Sum(code => programme.Course(code)?.Credits ?? 0m);
        return MaxCredits is { } max ? Math.Min(credits, max) : credits;
    }

    public override string ToString() => $"{RuleId} v{Version}";
}

/// <summary>Why an outcome was not converted; each has a code and a message the learner can read.</summary>
public enum Refusal
{
    /// <summary>No rule of this programme looks at this outcome.</summary>
    NoMatchingRule,

    /// <summary>A rule looked at it, but its level is below the rule's minimum (等级不足).</summary>
    LevelTooLow,

    /// <summary>A rule looked at it, but its grade is below the rule's threshold (成绩未达要求).</summary>
    GradeBelowThreshold,

    /// <summary>Not enough hours in all for an hours rule.</summary>
    NotEnoughHours,

    /// <summary>Older than the rule's validity window (已超过有效期).</summary>
    Expired,

    /// <summary>The outcome was revoked (已撤销).</summary>
    Revoked,

    /// <summary>Already used for this programme by an earlier, accepted conversion (已用于本专业).</summary>
    AlreadyUsedForProgramme,

    /// <summary>Used by another exemption chosen in this evaluation: each outcome counts once per programme.</summary>
    UsedByAnotherExemption,

    /// <summary>The course is already exempted (by another rule, or one certificate per course).</summary>
    CourseAlreadyExempted,

    /// <summary>The programme's total conversion cap is reached.</summary>
    TotalCapReached,

    /// <summary>The cap on specialised-course credits is reached.</summary>
    SpecialisedCapReached,

    /// <summary>The cap on public-course credits is reached.</summary>
    PublicCapReached,

    /// <summary>The cap on credits from one certificate is reached.</summary>
    CertificateCapReached,

    /// <summary>An exception of the rule applies (the learner holds what the rule's "unless" names).</summary>
    ExceptionApplies,

    /// <summary>The issuing institution is excluded by the rule.</summary>
    InstitutionExcluded,

    /// <summary>The rule needs more than this outcome (an all-of not completed).</summary>
    ConditionIncomplete,
}
