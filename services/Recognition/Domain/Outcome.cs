using CreditBank.PersonalData;

namespace CreditBank.Recognition.Domain;

public enum OutcomeKind
{
    /// <summary>An academic course (课程).</summary>
    Course = 1,

    /// <summary>A 1+X vocational skill-level certificate (职业技能等级证书).</summary>
    SkillCertificate = 2,
}

public enum OutcomeStatus
{
    /// <summary>已认定: credits are banked.</summary>
    Recognised = 1,

    /// <summary>待审核: a reviewer must decide.</summary>
    PendingReview = 2,

    /// <summary>不予认定.</summary>
    Rejected = 3,
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

/// <summary>A learning outcome (学习成果) as submitted by an institution, and what the bank decided about it.</summary>
public sealed class Outcome
{
    public Guid Id { get; init; }

    public required string InstitutionCode { get; init; }

    public required OutcomeKind Kind { get; init; }

    public required DocumentType LearnerDocumentType { get; init; }

    /// <summary>Keyed hash of the document number: how the learner is matched.</summary>
    public required string LearnerDocumentHash { get; init; }

    public required string LearnerDocumentMasked { get; init; }

    /// <summary>AES-GCM ciphertext, for lawful read-back only.</summary>
    public required string LearnerDocumentSealed { get; init; }

    public required string LearnerName { get; init; }

    /// <summary>Set for a course; stored flat (the columns below), so the original grade stays beside its scheme.</summary>
    public CourseDetail? Course
    {
        get => CourseCode is null ? null
            : new(CourseCode, CourseTitle!, CourseCredits!.Value, CourseHours!.Value, CourseTerm!, new Grade(GradeScheme!.Value, GradeValue!));
        init
        {
            (CourseCode, CourseTitle, CourseCredits, CourseHours, CourseTerm) =
                (value?.CourseCode, value?.Title, value?.Credits, value?.Hours, value?.Term);
            (GradeScheme, GradeValue) = (value?.Grade.Scheme, value?.Grade.Value);
        }
    }

    public SkillCertificateDetail? SkillCertificate
    {
        get => CertificateNumber is null ? null
            : new(CertificateName!, SkillLevel!.Value, CertificateNumber, CertificateIssueDate!.Value);
        init => (CertificateName, SkillLevel, CertificateNumber, CertificateIssueDate) =
            (value?.CertificateName, value?.Level, value?.CertificateNumber, value?.IssueDate);
    }

    public string? CourseCode { get; private set; }
    public string? CourseTitle { get; private set; }
    public decimal? CourseCredits { get; private set; }
    public int? CourseHours { get; private set; }
    public string? CourseTerm { get; private set; }
    public GradingScheme? GradeScheme { get; private set; }
    public string? GradeValue { get; private set; }
    public string? CertificateName { get; private set; }
    public SkillLevel? SkillLevel { get; private set; }
    public string? CertificateNumber { get; private set; }
    public DateOnly? CertificateIssueDate { get; private set; }

    public OutcomeStatus Status { get; private set; }

    /// <summary>UPPER_SNAKE_CASE, e.g. <c>TRUSTED_ISSUER</c> or <c>GRADE_BELOW_PASS_MARK</c>.</summary>
    public string StatusReasonCode { get; private set; } = string.Empty;

    public string StatusReason { get; private set; } = string.Empty;

    /// <summary>Credits banked by recognition; 0 unless recognised.</summary>
    public decimal Credits { get; private set; }

    public DateTimeOffset SubmittedAt { get; init; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>The acting principal of the decision (<c>system</c> for automatic recognition).</summary>
    public string? DecidedBy { get; private set; }

    /// <summary>A line a person can read, e.g. "CS101 数据结构 (2025-2026-1)".</summary>
    public string Title => Kind switch
    {
        OutcomeKind.Course => $"{Course!.CourseCode} {Course.Title} ({Course.Term})",
        _ => $"{SkillCertificate!.CertificateName} {SkillCertificate.Level.ToChinese()} ({SkillCertificate.CertificateNumber})",
    };

    public void Apply(RecognitionDecision decision, DateTimeOffset at, string actor)
    {
        Status = decision.Status;
        StatusReasonCode = decision.ReasonCode;
        StatusReason = decision.Reason;
        Credits = decision.Credits;
        DecidedAt = decision.Status == OutcomeStatus.PendingReview ? null : at;
        DecidedBy = decision.Status == OutcomeStatus.PendingReview ? null : actor;
    }
}

/// <summary>An academic course, with the grade exactly as given.</summary>
public sealed record CourseDetail(string CourseCode, string Title, decimal Credits, int Hours, string Term, Grade Grade);

/// <summary>A 1+X skill-level certificate.</summary>
public sealed record SkillCertificateDetail(string CertificateName, SkillLevel Level, string CertificateNumber, DateOnly IssueDate);

public static class SkillLevelNames
{
    public static string ToChinese(this SkillLevel level) => level switch
    {
        SkillLevel.Elementary => "初级",
        SkillLevel.Intermediate => "中级",
        SkillLevel.Advanced => "高级",
        _ => level.ToString(),
    };
}
