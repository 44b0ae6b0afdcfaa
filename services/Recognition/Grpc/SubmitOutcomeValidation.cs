using System.Globalization;
using CreditBank.Grpc;
using CreditBank.PersonalData;
using CreditBank.Recognition.Domain;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Grpc;

/// <summary>Turns a <c>SubmitOutcomeRequest</c> into the domain's terms, or says every field that is wrong.</summary>
internal static class SubmitOutcomeValidation
{
    public const decimal MaxCourseCredits = 30m;
    public const int MaxCourseHours = 2000;

    public sealed record Parsed(IdentityDocument Document, string LearnerName, CourseDetail? Course, SkillCertificateDetail? SkillCertificate);

    public static Parsed Parse(V1.SubmitOutcomeRequest request, bool institutionKnown, DateOnly today)
    {
        var violations = new FieldViolations();
        violations.RequireText("request_id", request.RequestId, 100, "request_id (a client-chosen id for retries, e.g. a UUID)");
        if (string.IsNullOrWhiteSpace(request.InstitutionCode))
        {
            violations.Add("institution_code", "The institution code (机构代码) is required.", "REQUIRED_FIELD");
        }
        else if (!institutionKnown)
        {
            violations.Add("institution_code",
                $"'{Shorten(request.InstitutionCode)}' is not a registered institution (未登记机构); check the 统一社会信用代码 or 学校标识码.",
                "UNKNOWN_INSTITUTION");
        }

        var document = ParseLearner(request.Learner, violations, out var name);
        CourseDetail? course = null;
        SkillCertificateDetail? certificate = null;
        switch (request.OutcomeCase)
        {
            case V1.SubmitOutcomeRequest.OutcomeOneofCase.Course:
                course = ParseCourse(request.Course, violations);
                break;
            case V1.SubmitOutcomeRequest.OutcomeOneofCase.SkillCertificate:
                certificate = ParseCertificate(request.SkillCertificate, violations, today);
                break;
            default:
                violations.Add("outcome", "Say what was learned: set either course or skill_certificate.", "REQUIRED_FIELD");
                break;
        }

        violations.ThrowIfAny("The outcome was not accepted");
        return new Parsed(document!, name!, course, certificate);
    }

    private static IdentityDocument? ParseLearner(V1.Learner? learner, FieldViolations violations, out string? name)
    {
        name = learner?.Name?.Trim();
        if (learner is null)
        {
            violations.Add("learner", "The learner (学习者) is required: document_type, document_number and name.", "REQUIRED_FIELD");
            return null;
        }

        violations.RequireText("learner.name", name, 100, "The learner's name (姓名)");
        if (learner.DocumentType == V1.DocumentType.Unspecified)
        {
            violations.Add("learner.document_type",
                "The document type (证件类型) is required: RESIDENT_ID_CARD (居民身份证), PASSPORT (护照) or HMT_RESIDENCE_PERMIT (港澳台居民居住证).",
                "REQUIRED_FIELD");
            return null;
        }

        if (!IdentityDocument.TryParse((DocumentType)(int)learner.DocumentType, learner.DocumentNumber, out var document, out var problem))
        {
            violations.Add("learner.document_number", problem!, "INVALID_DOCUMENT_NUMBER");
        }

        return document;
    }

    private static CourseDetail? ParseCourse(V1.Course course, FieldViolations violations)
    {
        var before = violations.All.Count;
        violations.RequireText("course.course_code", course.CourseCode, 40, "The course code (课程代码)");
        violations.RequireText("course.title", course.Title, 200, "The course title (课程名称)");
        violations.RequireText("course.term", course.Term, 20, "The term (学期), e.g. 2025-2026-1,");
        var credits = (decimal)course.Credits;
        if (double.IsNaN(course.Credits) || credits <= 0 || credits > MaxCourseCredits || decimal.Round(credits, 2) != credits)
        {
            violations.Add("course.credits",
                $"Credits (学分) must be more than 0 and at most {MaxCourseCredits} for one course, with at most two decimals; got {course.Credits}.",
                "INVALID_CREDITS");
        }

        if (course.Hours is < 0 or > MaxCourseHours)
        {
            violations.Add("course.hours", $"Contact hours (学时) must be between 0 and {MaxCourseHours}; got {course.Hours}.", "INVALID_HOURS");
        }

        Grade? grade = null;
        if (course.Grade is null)
        {
            violations.Add("course.grade", "The grade (成绩) and its grading scheme (评分制) are required.", "REQUIRED_FIELD");
        }
        else if (!Grade.TryCreate((GradingScheme)(int)course.Grade.Scheme, course.Grade.Value, out grade, out var problem))
        {
            violations.Add(course.Grade.Scheme == V1.GradingScheme.Unspecified ? "course.grade.scheme" : "course.grade.value",
                problem!, "INVALID_GRADE");
        }

        return violations.All.Count > before
            ? null
            : new CourseDetail(course.CourseCode.Trim(), course.Title.Trim(), credits, course.Hours, course.Term.Trim(), grade!);
    }

    private static SkillCertificateDetail? ParseCertificate(V1.SkillCertificate certificate, FieldViolations violations, DateOnly today)
    {
        var before = violations.All.Count;
        violations.RequireText("skill_certificate.certificate_name", certificate.CertificateName, 200, "The certificate name (证书名称)");
        violations.RequireText("skill_certificate.certificate_number", certificate.CertificateNumber, 64, "The certificate number (证书编号)");
        if (certificate.Level == V1.SkillLevel.Unspecified || !Enum.IsDefined((SkillLevel)(int)certificate.Level))
        {
            violations.Add("skill_certificate.level", "The level (等级) is required: ELEMENTARY (初级), INTERMEDIATE (中级) or ADVANCED (高级).",
                "REQUIRED_FIELD");
        }

        DateOnly issued = default;
        if (string.IsNullOrWhiteSpace(certificate.IssueDate))
        {
            violations.Add("skill_certificate.issue_date", "The issue date (发证日期) is required, as YYYY-MM-DD.", "REQUIRED_FIELD");
        }
        else if (!DateOnly.TryParseExact(certificate.IssueDate.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out issued))
        {
            violations.Add("skill_certificate.issue_date", $"'{Shorten(certificate.IssueDate)}' is not a date: write it as YYYY-MM-DD.", "INVALID_DATE");
        }
        else if (issued > today)
        {
            violations.Add("skill_certificate.issue_date",
                $"The issue date (发证日期) {issued:yyyy-MM-dd} is in the future; a certificate can only be banked once issued.",
                "ISSUE_DATE_IN_FUTURE");
        }

        return violations.All.Count > before
            ? null
            : new SkillCertificateDetail(certificate.CertificateName.Trim(), (SkillLevel)(int)certificate.Level,
                certificate.CertificateNumber.Trim(), issued);
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
