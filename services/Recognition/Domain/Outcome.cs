using CreditBank.Contracts.Type.V1;
using CreditBank.PersonalData;

namespace CreditBank.Recognition.Domain;

public enum OutcomeStatus
{
    /// <summary>已认定: credits are banked.</summary>
    Recognised = 1,

    /// <summary>待审核: a reviewer must decide.</summary>
    PendingReview = 2,

    /// <summary>不予认定.</summary>
    Rejected = 3,

    /// <summary>已撤销: recognised once, then withdrawn; the credits were reversed.</summary>
    Revoked = 4,
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

    /// <summary>The workstation (工作站) that reviews this learner's outcomes.</summary>
    public required string WorkstationCode { get; init; }

    /// <summary>What makes two submissions the same outcome (see <see cref="DuplicateKey"/>); unique.</summary>
    public required string DuplicateKey { get; init; }

    /// <summary>Evidence: SHA-256 (hex) of an attachment the institution keeps.</summary>
    public string? AttachmentSha256 { get; init; }

    /// <summary>Set when the outcome came in a batch.</summary>
    public Guid? BatchId { get; init; }

    /// <summary>The outcome's details, whatever its kind; stored flat (the columns below) so the original grade stays beside its scheme.</summary>
    public required OutcomeDetail Detail
    {
        get => Kind switch
        {
            OutcomeKind.Course => new CourseDetail(CourseCode!, CourseTitle!, CourseCredits!.Value, CourseHours!.Value, CourseTerm!,
                new Grade(GradeScheme, GradeValue!, GradeSchemeCode)),
            OutcomeKind.SkillCertificate => new SkillCertificateDetail(CertificateName!, SkillLevel!.Value, CertificateNumber!, CertificateIssueDate!.Value),
            OutcomeKind.VocationalQualification => new QualificationDetail(CertificateName!, DetailLevel!.Value, CertificateNumber!, CertificateIssueDate!.Value),
            OutcomeKind.SpecialAbility => new SpecialAbilityDetail(CertificateName!, CertificateNumber!, CertificateIssueDate!.Value),
            OutcomeKind.TrainingRecord => new TrainingDetail(CertificateName!, DetailHours!.Value, CertificateIssueDate!.Value, CertificateNumber),
            OutcomeKind.CompetitionAward => new AwardDetail(CertificateName!, (AwardLevel)DetailLevel!.Value, (AwardRank)DetailRank!.Value,
                CertificateNumber!, CertificateIssueDate!.Value),
            _ => new InformalDetail((InformalType)DetailType!.Value, CertificateName!, DetailProvider!, DetailHours!.Value,
                CertificateIssueDate!.Value, CertificateNumber),
        };
        init
        {
            switch (value)
            {
                case CourseDetail c:
                    (CourseCode, CourseTitle, CourseCredits, CourseHours, CourseTerm) = (c.CourseCode, c.CourseTitle, c.Credits, c.Hours, c.Term);
                    (GradeScheme, GradeSchemeCode, GradeValue) = (c.Grade.Scheme, c.Grade.SchemeCode, c.Grade.Value);
                    break;
                case SkillCertificateDetail s:
                    (CertificateName, SkillLevel, CertificateNumber, CertificateIssueDate) = (s.CertificateName, s.Level, s.CertificateNumber, s.IssueDate);
                    break;
                case QualificationDetail q:
                    (CertificateName, DetailLevel, CertificateNumber, CertificateIssueDate) = (q.QualificationName, q.Level, q.CertificateNumber, q.IssueDate);
                    break;
                case SpecialAbilityDetail a:
                    (CertificateName, CertificateNumber, CertificateIssueDate) = (a.AbilityName, a.CertificateNumber, a.IssueDate);
                    break;
                case TrainingDetail t:
                    (CertificateName, DetailHours, CertificateIssueDate, CertificateNumber) = (t.TrainingTitle, t.Hours, t.CompletionDate, t.CertificateNumber);
                    break;
                case AwardDetail w:
                    (CertificateName, DetailLevel, DetailRank, CertificateNumber, CertificateIssueDate) =
                        (w.CompetitionName, (int)w.Level, (int)w.Rank, w.CertificateNumber, w.AwardDate);
                    break;
                case InformalDetail i:
                    (DetailType, CertificateName, DetailProvider, DetailHours, CertificateIssueDate, CertificateNumber) =
                        ((int)i.Type, i.InformalTitle, i.Provider, i.Hours, i.CompletionDate, i.CertificateNumber);
                    break;
            }
        }
    }

    public string? CourseCode { get; private set; }
    public string? CourseTitle { get; private set; }
    public decimal? CourseCredits { get; private set; }
    public int? CourseHours { get; private set; }
    public string? CourseTerm { get; private set; }
    public GradingScheme? GradeScheme { get; private set; }

    /// <summary>A grading scheme registered by data (e.g. <c>GPA_4</c>); null for the built-in ones.</summary>
    public string? GradeSchemeCode { get; private set; }
    public string? GradeValue { get; private set; }

    /// <summary>Certificate name, qualification, ability, training or competition title — the outcome's name.</summary>
    public string? CertificateName { get; private set; }
    public SkillLevel? SkillLevel { get; private set; }
    public string? CertificateNumber { get; private set; }

    /// <summary>Issue, completion or award date.</summary>
    public DateOnly? CertificateIssueDate { get; private set; }

    /// <summary>职业资格 level (1 = 五级 … 5 = 一级) or competition level.</summary>
    public int? DetailLevel { get; private set; }
    public int? DetailRank { get; private set; }
    public int? DetailHours { get; private set; }
    public int? DetailType { get; private set; }
    public string? DetailProvider { get; private set; }

    public OutcomeStatus Status { get; private set; }

    /// <summary>UPPER_SNAKE_CASE, e.g. <c>TRUSTED_ISSUER</c> or <c>GRADE_BELOW_PASS_MARK</c>.</summary>
    public string StatusReasonCode { get; private set; } = string.Empty;

    public string StatusReason { get; private set; } = string.Empty;

    /// <summary>Credits banked by recognition; 0 unless recognised.</summary>
    public decimal Credits { get; private set; }

    /// <summary>The accreditation unit (认证单元) and its version the credits were granted for.</summary>
    public string? UnitCode { get; private set; }

    public int? UnitVersion { get; private set; }

    public DateTimeOffset SubmittedAt { get; init; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>The acting principal of the decision (<c>system</c> for automatic recognition).</summary>
    public string? DecidedBy { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public string? RevokedBy { get; private set; }

    /// <summary>Bumped by every change of status: two deciders racing on one outcome cannot both win.</summary>
    public int Version { get; private set; }

    /// <summary>A line a person can read, e.g. "CS101 数据结构 (2025-2026-1)".</summary>
    public string Title => Detail.Title;

    public void Apply(RecognitionDecision decision, DateTimeOffset at, string actor)
    {
        Status = decision.Status;
        StatusReasonCode = decision.ReasonCode;
        StatusReason = decision.Reason;
        Credits = decision.Credits;
        UnitCode = decision.Unit?.Code;
        UnitVersion = decision.Unit?.Version;
        DecidedAt = decision.Status == OutcomeStatus.PendingReview ? null : at;
        DecidedBy = decision.Status == OutcomeStatus.PendingReview ? null : actor;
        Version++;
    }

    /// <summary>Withdraws the outcome. Its credits stay on record here; the ledger reverses them.</summary>
    public void Revoke(string reasonCode, string reason, DateTimeOffset at, string actor)
    {
        Status = OutcomeStatus.Revoked;
        StatusReasonCode = reasonCode;
        StatusReason = reason;
        RevokedAt = at;
        RevokedBy = actor;
        Version++;
    }
}
