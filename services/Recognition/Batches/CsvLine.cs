using System.Globalization;
using CreditBank.Grpc.Validation;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Batches;

/// <summary>
/// One CSV row as a BatchLine. Columns: kind, document_type, document_number, name, course_code, title, credits, hours,
/// term, grade_scheme, grade, certificate_name, level, certificate_number, issue_date, award_rank, informal_type,
/// provider, attachment_sha256 — see docs/api.md, "Batches", for which kind uses which.
/// </summary>
internal static class CsvLine
{
    public static (V1.BatchLine Line, IReadOnlyList<V1.LineViolation> Problems) Parse(IReadOnlyList<string> cells, IReadOnlyDictionary<string, int> columns)
    {
        var problems = new List<V1.LineViolation>();
        string Cell(string name) => columns.TryGetValue(name, out var i) && i < cells.Count ? cells[i].Trim() : string.Empty;

        int Int(string name)
        {
            var text = Cell(name);
            if (text.Length == 0)
            {
                return 0;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            problems.Add(new V1.LineViolation { Field = name, Reason = "INVALID_NUMBER", Description = $"'{Text.Echo(text)}' is not a whole number." });
            return 0;
        }

        var documentType = Cell("document_type").ToUpperInvariant() switch
        {
            "" or "RESIDENT_ID_CARD" or "居民身份证" => V1.DocumentType.ResidentIdCard,
            "PASSPORT" or "护照" => V1.DocumentType.Passport,
            "HMT_RESIDENCE_PERMIT" or "港澳台居民居住证" => V1.DocumentType.HmtResidencePermit,
            _ => V1.DocumentType.Unspecified,
        };
        var line = new V1.BatchLine
        {
            Learner = new V1.Learner { DocumentType = documentType, DocumentNumber = Cell("document_number"), Name = Cell("name") },
            AttachmentSha256 = Cell("attachment_sha256"),
        };
        var kind = Cell("kind").ToUpperInvariant();
        switch (kind)
        {
            case "" or "COURSE":
                var creditsText = Cell("credits");
                var scheme = Cell("grade_scheme").ToUpperInvariant();
                var builtIn = scheme switch
                {
                    "PERCENTAGE" or "百分制" => V1.GradingScheme.Percentage,
                    "FIVE_LEVEL" or "五级制" => V1.GradingScheme.FiveLevel,
                    "PASS_FAIL" or "合格制" => V1.GradingScheme.PassFail,
                    _ => V1.GradingScheme.Unspecified,
                };
                line.Course = new V1.Course
                {
                    CourseCode = Cell("course_code"),
                    Title = Cell("title"),
                    Credits = double.TryParse(creditsText, NumberStyles.Float, CultureInfo.InvariantCulture, out var credits) ? credits : double.NaN,
                    Hours = Int("hours"),
                    Term = Cell("term"),
                    Grade = new V1.Grade { Scheme = builtIn, SchemeCode = builtIn == V1.GradingScheme.Unspecified ? scheme : string.Empty, Value = Cell("grade") },
                };
                break;
            case "SKILL_CERTIFICATE":
                line.SkillCertificate = new V1.SkillCertificate
                {
                    CertificateName = Cell("certificate_name"),
                    Level = Cell("level") switch
                    {
                        "1" or "初级" or "ELEMENTARY" => V1.SkillLevel.Elementary,
                        "2" or "中级" or "INTERMEDIATE" => V1.SkillLevel.Intermediate,
                        "3" or "高级" or "ADVANCED" => V1.SkillLevel.Advanced,
                        _ => V1.SkillLevel.Unspecified,
                    },
                    CertificateNumber = Cell("certificate_number"),
                    IssueDate = Cell("issue_date"),
                };
                break;
            case "VOCATIONAL_QUALIFICATION":
                // The level column holds the national level: 5 (五级/初级工) … 1 (一级/高级技师).
                var national = Int("level");
                line.VocationalQualification = new V1.VocationalQualification
                {
                    QualificationName = Cell("certificate_name"),
                    Level = national is >= 1 and <= 5 ? (V1.QualificationLevel)(6 - national) : V1.QualificationLevel.Unspecified,
                    CertificateNumber = Cell("certificate_number"),
                    IssueDate = Cell("issue_date"),
                };
                break;
            case "SPECIAL_ABILITY":
                line.SpecialAbility = new V1.SpecialAbility { AbilityName = Cell("certificate_name"), CertificateNumber = Cell("certificate_number"), IssueDate = Cell("issue_date") };
                break;
            case "TRAINING_RECORD":
                line.TrainingRecord = new V1.TrainingRecord { Title = Cell("title"), Hours = Int("hours"), CompletionDate = Cell("issue_date"), CertificateNumber = Cell("certificate_number") };
                break;
            case "COMPETITION_AWARD":
                line.CompetitionAward = new V1.CompetitionAward
                {
                    CompetitionName = Cell("certificate_name"),
                    Level = Enum.TryParse<V1.AwardLevel>(Cell("level"), true, out var level) ? level : V1.AwardLevel.Unspecified,
                    Rank = Enum.TryParse<V1.AwardRank>(Cell("award_rank"), true, out var rank) ? rank : V1.AwardRank.Unspecified,
                    CertificateNumber = Cell("certificate_number"),
                    AwardDate = Cell("issue_date"),
                };
                break;
            case "INFORMAL_OUTCOME":
                line.InformalOutcome = new V1.InformalOutcome
                {
                    Type = Cell("informal_type").ToUpperInvariant() switch
                    {
                        "MOOC" => V1.InformalType.Mooc,
                        "WORK_EXPERIENCE" => V1.InformalType.WorkExperience,
                        "OTHER" => V1.InformalType.Other,
                        _ => V1.InformalType.Unspecified,
                    },
                    Title = Cell("title"),
                    Provider = Cell("provider"),
                    Hours = Int("hours"),
                    CompletionDate = Cell("issue_date"),
                    CertificateNumber = Cell("certificate_number"),
                };
                break;
            default:
                problems.Add(new V1.LineViolation
                {
                    Field = "kind", Reason = "UNKNOWN_OUTCOME_KIND",
                    Description = "kind is one of COURSE, SKILL_CERTIFICATE, VOCATIONAL_QUALIFICATION, SPECIAL_ABILITY, TRAINING_RECORD, COMPETITION_AWARD, INFORMAL_OUTCOME.",
                });
                break;
        }

        return (line, problems);
    }
}
