namespace CreditBank.Credentials.Domain;

/// <summary>A banked outcome as a credential states it (学习成果).</summary>
public sealed record OutcomeStatement
{
    public required Guid OutcomeId { get; init; }
    public required string InstitutionCode { get; init; }

    /// <summary>As events name it: <c>COURSE</c>, <c>SKILL_CERTIFICATE</c>, …</summary>
    public required string Kind { get; init; }

    public required string Title { get; init; }
    public required decimal Credits { get; init; }
    public string? UnitCode { get; init; }
    public int? UnitVersion { get; init; }
    public string? UnitDefinitionSha256 { get; init; }
    public int? FrameworkLevel { get; init; }
    public int Level { get; init; }
    public string? CourseCode { get; init; }
    public string? GradeScheme { get; init; }
    public string? GradeValue { get; init; }
    public int Hours { get; init; }
    public DateOnly? AchievedOn { get; init; }
    public required DateTimeOffset RecognisedAt { get; init; }
    public required StatusEntry Status { get; init; }
}

/// <summary>An accepted exemption (免修免考) of a conversion, as a credential states it.</summary>
public sealed record ConversionStatement
{
    public required Guid ApplicationId { get; init; }
    public required int ItemNumber { get; init; }
    public required string ProgrammeCode { get; init; }
    public required string InstitutionCode { get; init; }
    public required IReadOnlyList<string> CourseCodes { get; init; }
    public required decimal Credits { get; init; }
    public required string RuleId { get; init; }
    public required int RuleVersion { get; init; }
    public string? RuleDefinitionSha256 { get; init; }
    public required IReadOnlyList<Guid> OutcomeIds { get; init; }
    public required DateTimeOffset DecidedAt { get; init; }
    public required StatusEntry Status { get; init; }
}

/// <summary>A credential's place in a status list: the list's number and the index of its bit.</summary>
public sealed record StatusEntry(int ListId, int Index);

/// <summary>Who a credential is about: the learner's document type and the identifier that is hashed (never stored in a credential).</summary>
public sealed record Holder(string DocumentType, string Identifier);
