namespace CreditBank.Recognition.Domain;

/// <summary>What was learned, by kind.</summary>
public abstract record OutcomeDetail
{
    /// <summary>One line a person can read.</summary>
    public abstract string Title { get; }
}

/// <summary>An academic course, with the grade exactly as given.</summary>
public sealed record CourseDetail(string CourseCode, string CourseTitle, decimal Credits, int Hours, string Term, Grade Grade) : OutcomeDetail
{
    public override string Title => $"{CourseCode} {CourseTitle} ({Term})";
}

/// <summary>A 1+X skill-level certificate.</summary>
public sealed record SkillCertificateDetail(string CertificateName, SkillLevel Level, string CertificateNumber, DateOnly IssueDate) : OutcomeDetail
{
    public override string Title => $"{CertificateName} {Level.ToChinese()} ({CertificateNumber})";
}

/// <summary>A 职业资格证书; level 1 = 五级/初级工 … 5 = 一级/高级技师.</summary>
public sealed record QualificationDetail(string QualificationName, int Level, string CertificateNumber, DateOnly IssueDate) : OutcomeDetail
{
    public static readonly string[] LevelNames = ["", "五级/初级工", "四级/中级工", "三级/高级工", "二级/技师", "一级/高级技师"];

    public override string Title => $"{QualificationName} {LevelNames[Level]} ({CertificateNumber})";
}

/// <summary>A 专项职业能力证书.</summary>
public sealed record SpecialAbilityDetail(string AbilityName, string CertificateNumber, DateOnly IssueDate) : OutcomeDetail
{
    public override string Title => $"{AbilityName} ({CertificateNumber})";
}

/// <summary>A training record: hours become credits.</summary>
public sealed record TrainingDetail(string TrainingTitle, int Hours, DateOnly CompletionDate, string? CertificateNumber) : OutcomeDetail
{
    public override string Title => $"{TrainingTitle} {Hours} 学时 ({CompletionDate:yyyy-MM-dd})";
}

/// <summary>A competition award.</summary>
public sealed record AwardDetail(string CompetitionName, AwardLevel Level, AwardRank Rank, string CertificateNumber, DateOnly AwardDate) : OutcomeDetail
{
    public override string Title => $"{CompetitionName} {Level.ToChinese()}{Rank.ToChinese()} ({CertificateNumber})";
}

/// <summary>An informal outcome: a MOOC, work experience, other.</summary>
public sealed record InformalDetail(InformalType Type, string InformalTitle, string Provider, int Hours, DateOnly CompletionDate, string? CertificateNumber)
    : OutcomeDetail
{
    public override string Title => $"{InformalTitle} · {Provider} · {Hours} 小时";
}

/// <summary>1+X certificate levels.</summary>
public enum SkillLevel
{
    /// <summary>初级.</summary>
    Elementary = 1,

    /// <summary>中级.</summary>
    Intermediate = 2,

    /// <summary>高级.</summary>
    Advanced = 3,
}

/// <summary>Competition levels (竞赛级别).</summary>
public enum AwardLevel
{
    National = 1,
    Provincial = 2,
    Municipal = 3,
    School = 4,
}

/// <summary>Ranks (奖项等次).</summary>
public enum AwardRank
{
    First = 1,
    Second = 2,
    Third = 3,
}

/// <summary>Kinds of informal outcome.</summary>
public enum InformalType
{
    Mooc = 1,
    WorkExperience = 2,
    Other = 3,
}
