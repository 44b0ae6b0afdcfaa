using System.Globalization;
using CreditBank.Grpc;
using CreditBank.PersonalData;
using CreditBank.Recognition.Domain;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Grpc;

/// <summary>Turns a <c>SubmitOutcomeRequest</c> (or a batch line) into the domain's terms, or says every field that is wrong.</summary>
internal static class SubmitOutcomeValidation
{
    public const decimal MaxCourseCredits = 30m;
    public const int MaxCourseHours = 2000;
    public const int MaxInformalHours = 20000;

    public sealed record Parsed(IdentityDocument Document, string LearnerName, OutcomeKind Kind, OutcomeDetail Detail, string? AttachmentSha256);

    /// <summary>One submission: throws InvalidArgument naming every wrong field.</summary>
    public static Parsed Parse(V1.SubmitOutcomeRequest request, CatalogueSnapshot catalogue, DateOnly today)
    {
        var violations = new FieldViolations();
        violations.RequireText("request_id", request.RequestId, 100, "request_id (a client-chosen id for retries, e.g. a UUID)");
        CheckInstitution(request.InstitutionCode, catalogue, violations, "institution_code");
        var parsed = ParseOutcome(request, catalogue, today, violations);
        violations.ThrowIfAny("The outcome was not accepted");
        return parsed!;
    }

    public static void CheckInstitution(string code, CatalogueSnapshot catalogue, FieldViolations violations, string field)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            violations.Add(field, "The institution code (机构代码) is required.", "REQUIRED_FIELD");
        }
        else if (catalogue.Institution(code.Trim()) is null)
        {
            violations.Add(field,
                $"'{Shorten(code)}' is not a registered institution (未登记机构); check the 统一社会信用代码 or 学校标识码.",
                "UNKNOWN_INSTITUTION");
        }
    }

    /// <summary>The learner and the outcome; null when anything is wrong (then <paramref name="violations"/> says what).</summary>
    public static Parsed? ParseOutcome(V1.SubmitOutcomeRequest request, CatalogueSnapshot catalogue, DateOnly today, FieldViolations violations)
    {
        var before = violations.All.Count;
        var document = ParseLearner(request.Learner, violations, out var name);
        (OutcomeKind Kind, OutcomeDetail? Detail) outcome = request.OutcomeCase switch
        {
            V1.SubmitOutcomeRequest.OutcomeOneofCase.Course => (OutcomeKind.Course, ParseCourse(request.Course, catalogue, violations)),
            V1.SubmitOutcomeRequest.OutcomeOneofCase.SkillCertificate => (OutcomeKind.SkillCertificate, ParseCertificate(request.SkillCertificate, violations, today)),
            V1.SubmitOutcomeRequest.OutcomeOneofCase.VocationalQualification => (OutcomeKind.VocationalQualification, ParseQualification(request.VocationalQualification, violations, today)),
            V1.SubmitOutcomeRequest.OutcomeOneofCase.SpecialAbility => (OutcomeKind.SpecialAbility, ParseAbility(request.SpecialAbility, violations, today)),
            V1.SubmitOutcomeRequest.OutcomeOneofCase.TrainingRecord => (OutcomeKind.TrainingRecord, ParseTraining(request.TrainingRecord, violations, today)),
            V1.SubmitOutcomeRequest.OutcomeOneofCase.CompetitionAward => (OutcomeKind.CompetitionAward, ParseAward(request.CompetitionAward, violations, today)),
            V1.SubmitOutcomeRequest.OutcomeOneofCase.InformalOutcome => (OutcomeKind.InformalOutcome, ParseInformal(request.InformalOutcome, violations, today)),
            _ => (OutcomeKind.Course, null),
        };
        if (request.OutcomeCase == V1.SubmitOutcomeRequest.OutcomeOneofCase.None)
        {
            violations.Add("outcome",
                "Say what was learned: set one of course, skill_certificate, vocational_qualification, special_ability, training_record, competition_award or informal_outcome.",
                "REQUIRED_FIELD");
        }

        var attachment = request.AttachmentSha256.Trim().ToLowerInvariant();
        if (attachment.Length > 0 && (attachment.Length != 64 || !attachment.All(char.IsAsciiHexDigit)))
        {
            violations.Add("attachment_sha256", "The attachment's SHA-256 is 64 hexadecimal characters.", "INVALID_ATTACHMENT_HASH");
        }

        return violations.All.Count > before
            ? null
            : new Parsed(document!, name!, outcome.Kind, outcome.Detail!, attachment.Length == 0 ? null : attachment);
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

    private static CourseDetail? ParseCourse(V1.Course course, CatalogueSnapshot catalogue, FieldViolations violations)
    {
        var before = violations.All.Count;
        violations.RequireText("course.course_code", course.CourseCode, 40, "The course code (课程代码)");
        violations.RequireText("course.title", course.Title, 200, "The course title (课程名称)");
        violations.RequireText("course.term", course.Term, 20, "The term (学期), e.g. 2025-2026-1,");
        var credits = CheckCredits(course.Credits, MaxCourseCredits, "course.credits", violations);
        if (course.Hours is < 0 or > MaxCourseHours)
        {
            violations.Add("course.hours", $"Contact hours (学时) must be between 0 and {MaxCourseHours}; got {course.Hours}.", "INVALID_HOURS");
        }

        Grade? grade = null;
        if (course.Grade is null)
        {
            violations.Add("course.grade", "The grade (成绩) and its grading scheme (评分制) are required.", "REQUIRED_FIELD");
        }
        else if (course.Grade.Scheme == V1.GradingScheme.Unspecified && !string.IsNullOrWhiteSpace(course.Grade.SchemeCode))
        {
            grade = ParseRegisteredGrade(course.Grade, catalogue, violations);
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

    private static Grade? ParseRegisteredGrade(V1.Grade grade, CatalogueSnapshot catalogue, FieldViolations violations)
    {
        var code = grade.SchemeCode.Trim().ToUpperInvariant();
        if (Enum.TryParse<GradingScheme>(code.Replace("_", string.Empty), ignoreCase: true, out var builtIn) && Enum.IsDefined(builtIn))
        {
            if (Grade.TryCreate(builtIn, grade.Value, out var parsed, out var builtInProblem))
            {
                return parsed;
            }

            violations.Add("course.grade.value", builtInProblem!, "INVALID_GRADE");
            return null;
        }

        if (catalogue.GradingScheme(code) is not { } scheme)
        {
            violations.Add("course.grade.scheme_code",
                $"'{Shorten(grade.SchemeCode)}' is not a registered grading scheme (评分制); see GET /v1/gradingSchemes.", "INVALID_GRADE");
            return null;
        }

        var value = grade.Value.Trim();
        if (scheme.Problem(value) is { } problem)
        {
            violations.Add("course.grade.value", problem, "INVALID_GRADE");
            return null;
        }

        return new Grade(null, value, scheme.Code);
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

        var issued = ParseDate(certificate.IssueDate, "skill_certificate.issue_date", "The issue date (发证日期)", violations, today);
        return violations.All.Count > before
            ? null
            : new SkillCertificateDetail(certificate.CertificateName.Trim(), (SkillLevel)(int)certificate.Level,
                certificate.CertificateNumber.Trim(), issued);
    }

    private static QualificationDetail? ParseQualification(V1.VocationalQualification q, FieldViolations violations, DateOnly today)
    {
        var before = violations.All.Count;
        violations.RequireText("vocational_qualification.qualification_name", q.QualificationName, 200, "The qualification (职业资格名称)");
        violations.RequireText("vocational_qualification.certificate_number", q.CertificateNumber, 64, "The certificate number (证书编号)");
        if (q.Level == V1.QualificationLevel.Unspecified || (int)q.Level > 5)
        {
            violations.Add("vocational_qualification.level",
                "The level (职业资格等级) is required: QUALIFICATION_LEVEL_5 (五级/初级工) … QUALIFICATION_LEVEL_1 (一级/高级技师).", "REQUIRED_FIELD");
        }

        var issued = ParseDate(q.IssueDate, "vocational_qualification.issue_date", "The issue date (发证日期)", violations, today);
        return violations.All.Count > before
            ? null
            : new QualificationDetail(q.QualificationName.Trim(), (int)q.Level, q.CertificateNumber.Trim(), issued);
    }

    private static SpecialAbilityDetail? ParseAbility(V1.SpecialAbility a, FieldViolations violations, DateOnly today)
    {
        var before = violations.All.Count;
        violations.RequireText("special_ability.ability_name", a.AbilityName, 200, "The ability (专项职业能力名称)");
        violations.RequireText("special_ability.certificate_number", a.CertificateNumber, 64, "The certificate number (证书编号)");
        var issued = ParseDate(a.IssueDate, "special_ability.issue_date", "The issue date (发证日期)", violations, today);
        return violations.All.Count > before ? null : new SpecialAbilityDetail(a.AbilityName.Trim(), a.CertificateNumber.Trim(), issued);
    }

    private static TrainingDetail? ParseTraining(V1.TrainingRecord t, FieldViolations violations, DateOnly today)
    {
        var before = violations.All.Count;
        violations.RequireText("training_record.title", t.Title, 200, "The training (培训名称)");
        if (t.Hours is < 1 or > MaxCourseHours)
        {
            violations.Add("training_record.hours", $"Training hours (培训学时) must be between 1 and {MaxCourseHours}; got {t.Hours}.", "INVALID_HOURS");
        }

        OptionalNumber(t.CertificateNumber, "training_record.certificate_number", violations);
        var completed = ParseDate(t.CompletionDate, "training_record.completion_date", "The completion date (结业日期)", violations, today);
        return violations.All.Count > before
            ? null
            : new TrainingDetail(t.Title.Trim(), t.Hours, completed, NullIfEmpty(t.CertificateNumber));
    }

    private static AwardDetail? ParseAward(V1.CompetitionAward w, FieldViolations violations, DateOnly today)
    {
        var before = violations.All.Count;
        violations.RequireText("competition_award.competition_name", w.CompetitionName, 200, "The competition (竞赛名称)");
        violations.RequireText("competition_award.certificate_number", w.CertificateNumber, 64, "The award certificate number (获奖证书编号)");
        if (w.Level == V1.AwardLevel.Unspecified || (int)w.Level > 4)
        {
            violations.Add("competition_award.level", "The level (竞赛级别) is required: NATIONAL, PROVINCIAL, MUNICIPAL or SCHOOL.", "REQUIRED_FIELD");
        }

        if (w.Rank == V1.AwardRank.Unspecified || (int)w.Rank > 3)
        {
            violations.Add("competition_award.rank", "The rank (奖项等次) is required: FIRST, SECOND or THIRD.", "REQUIRED_FIELD");
        }

        var awarded = ParseDate(w.AwardDate, "competition_award.award_date", "The award date (获奖日期)", violations, today);
        return violations.All.Count > before
            ? null
            : new AwardDetail(w.CompetitionName.Trim(), (AwardLevel)(int)w.Level, (AwardRank)(int)w.Rank, w.CertificateNumber.Trim(), awarded);
    }

    private static InformalDetail? ParseInformal(V1.InformalOutcome i, FieldViolations violations, DateOnly today)
    {
        var before = violations.All.Count;
        if (i.Type == V1.InformalType.Unspecified || (int)i.Type > 3)
        {
            violations.Add("informal_outcome.type", "The type is required: MOOC (在线开放课程), WORK_EXPERIENCE (工作经历) or OTHER.", "REQUIRED_FIELD");
        }

        violations.RequireText("informal_outcome.title", i.Title, 200, "The title (名称)");
        violations.RequireText("informal_outcome.provider", i.Provider, 200, "The platform or employer (平台/单位)");
        if (i.Hours is < 1 or > MaxInformalHours)
        {
            violations.Add("informal_outcome.hours", $"Hours must be between 1 and {MaxInformalHours}; got {i.Hours}.", "INVALID_HOURS");
        }

        OptionalNumber(i.CertificateNumber, "informal_outcome.certificate_number", violations);
        var completed = ParseDate(i.CompletionDate, "informal_outcome.completion_date", "The completion date (完成日期)", violations, today);
        return violations.All.Count > before
            ? null
            : new InformalDetail((InformalType)(int)i.Type, i.Title.Trim(), i.Provider.Trim(), i.Hours, completed, NullIfEmpty(i.CertificateNumber));
    }

    public static decimal CheckCredits(double value, decimal max, string field, FieldViolations violations)
    {
        var credits = double.IsFinite(value) && Math.Abs(value) < 1e6 ? (decimal)value : -1m;
        if (credits <= 0 || credits > max || decimal.Round(credits, 2) != credits)
        {
            violations.Add(field,
                $"Credits (学分) must be more than 0 and at most {max}, with at most two decimals; got {value}.",
                "INVALID_CREDITS");
        }

        return credits;
    }

    private static DateOnly ParseDate(string value, string field, string label, FieldViolations violations, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            violations.Add(field, $"{label} is required, as YYYY-MM-DD.", "REQUIRED_FIELD");
        }
        else if (!DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            violations.Add(field, $"'{Shorten(value)}' is not a date: write it as YYYY-MM-DD.", "INVALID_DATE");
        }
        else if (date > today)
        {
            violations.Add(field, $"{label} {date:yyyy-MM-dd} is in the future; an outcome can only be banked once achieved.",
                "ISSUE_DATE_IN_FUTURE");
        }
        else
        {
            return date;
        }

        return default;
    }

    private static void OptionalNumber(string value, string field, FieldViolations violations)
    {
        if (value.Length > 64)
        {
            violations.Add(field, $"The certificate number is {value.Length} characters long; at most 64 are allowed.", "FIELD_TOO_LONG");
        }
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
