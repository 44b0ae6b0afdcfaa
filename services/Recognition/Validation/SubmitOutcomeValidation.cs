using CreditBank.Contracts.Type.V1;
using CreditBank.Grpc;
using CreditBank.Grpc.Validation;
using CreditBank.PersonalData;
using CreditBank.Recognition.Domain;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Validation;

/// <summary>
/// Turns a <c>SubmitOutcomeRequest</c> — or a batch line, from the gRPC stream, a CSV row or a JSON file — into the
/// domain's terms, or says every field that is wrong. Every field has its rule here; the handlers check nothing of
/// their own.
/// </summary>
internal static class SubmitOutcomeValidation
{
    public const decimal MaxCourseCredits = 30m;
    public const int MaxCourseHours = 2000;
    public const int MaxInformalHours = 20000;
    public const int NameLength = 100;
    public const int TitleLength = 200;
    public const int CodeLength = 40;
    public const int CertificateNumberLength = 64;
    public const int RequestIdLength = 100;
    public const int GradeLength = 20;

    public sealed record Parsed(IdentityDocument Document, string LearnerName, OutcomeKind Kind, OutcomeDetail Detail, string? AttachmentSha256);

    /// <summary>One submission: throws InvalidArgument naming every wrong field.</summary>
    public static Parsed Parse(V1.SubmitOutcomeRequest request, CatalogueSnapshot catalogue, DateOnly today)
    {
        var violations = new FieldViolations();
        violations.Text("request_id", request.RequestId, RequestIdLength, "request_id (a client-chosen id for retries, e.g. a UUID)");
        CheckInstitution(request.InstitutionCode, catalogue, violations, "institution_code");
        var parsed = ParseOutcome(request, catalogue, today, violations);
        violations.ThrowIfAny("The outcome was not accepted");
        return parsed!;
    }

    /// <summary>The registered institution a code names; null (and a violation) when it names none.</summary>
    public static Institution? CheckInstitution(string code, CatalogueSnapshot catalogue, FieldViolations violations, string field)
    {
        var text = violations.Text(field, code, CodeLength, "The institution code (机构代码)");
        if (text.Length == 0)
        {
            return null;
        }

        var institution = catalogue.Institution(text);
        if (institution is null)
        {
            violations.Add(field, $"'{Text.Echo(text)}' is not a registered institution (未登记机构); check the 统一社会信用代码 or 学校标识码.",
                "UNKNOWN_INSTITUTION");
        }

        return institution;
    }

    /// <summary>The learner and the outcome; null when anything is wrong (then <paramref name="violations"/> says what).</summary>
    public static Parsed? ParseOutcome(V1.SubmitOutcomeRequest request, CatalogueSnapshot catalogue, DateOnly today, FieldViolations violations)
    {
        var before = violations.All.Count;
        var (document, name) = ParseLearner(request.Learner, violations, today);
        (OutcomeKind Kind, OutcomeDetail? Detail) outcome = request.OutcomeCase switch
        {
            V1.SubmitOutcomeRequest.OutcomeOneofCase.Course => (OutcomeKind.Course, ParseCourse(request.Course, catalogue, violations, today)),
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

        var attachment = AttachmentHash(request.AttachmentSha256, violations);
        return violations.All.Count > before
            ? null
            : new Parsed(document!, name, outcome.Kind, outcome.Detail!, attachment);
    }

    /// <summary>Evidence: the SHA-256 of an attachment, 64 hexadecimal characters, kept in lower case; empty is none.</summary>
    private static string? AttachmentHash(string value, FieldViolations violations)
    {
        var attachment = violations.Text("attachment_sha256", value, 64 + 1, "The attachment's SHA-256", required: false).ToLowerInvariant();
        if (attachment.Length > 0 && (attachment.Length != 64 || !attachment.All(char.IsAsciiHexDigit)))
        {
            violations.Add("attachment_sha256", "The attachment's SHA-256 is 64 hexadecimal characters.", "INVALID_ATTACHMENT_HASH");
        }

        return attachment.Length == 64 ? attachment : null;
    }

    private static (IdentityDocument? Document, string Name) ParseLearner(V1.Learner? learner, FieldViolations violations, DateOnly today)
    {
        if (learner is null)
        {
            violations.Add("learner", "The learner (学习者) is required: document_type, document_number and name.", "REQUIRED_FIELD");
            return (null, string.Empty);
        }

        var name = violations.Text("learner.name", learner.Name, NameLength, "The learner's name (姓名)");
        var document = Document(learner.DocumentType, learner.DocumentNumber, violations, today, "learner.");
        return (document, name);
    }

    /// <summary>A document type and number (居民身份证 checked for its check character, birth date and province).</summary>
    public static IdentityDocument? Document(V1.DocumentType type, string number, FieldViolations violations, DateOnly today, string prefix = "")
    {
        var known = violations.Enum(prefix + "document_type", type, "The document type (证件类型)");
        if (known == V1.DocumentType.Unspecified)
        {
            return null;
        }

        var text = violations.Text(prefix + "document_number", number, 40, "The document number (证件号码)");
        if (text.Length == 0)
        {
            return null;
        }

        if (!IdentityDocument.TryParse((DocumentType)(int)known, text, today, out var document, out var problem))
        {
            violations.Add(prefix + "document_number", problem!, "INVALID_DOCUMENT_NUMBER");
        }

        return document;
    }

    private static CourseDetail? ParseCourse(V1.Course course, CatalogueSnapshot catalogue, FieldViolations violations, DateOnly today)
    {
        var before = violations.All.Count;
        var code = violations.Text("course.course_code", course.CourseCode, CodeLength, "The course code (课程代码)");
        var title = violations.Text("course.title", course.Title, TitleLength, "The course title (课程名称)");
        var term = violations.Term("course.term", course.Term, today);
        var credits = violations.Amount("course.credits", course.Credits, 0m, MaxCourseCredits, 2, "Credits (学分)", "INVALID_CREDITS", minExclusive: true);
        violations.Whole("course.hours", course.Hours, 0, MaxCourseHours, "Contact hours (学时)", "INVALID_HOURS");
        Grade? grade = null;
        if (course.Grade is null)
        {
            violations.Add("course.grade", "The grade (成绩) and its grading scheme (评分制) are required.", "REQUIRED_FIELD");
        }
        else
        {
            grade = ParseGrade(course.Grade, catalogue, violations);
        }

        return violations.All.Count > before
            ? null
            : new CourseDetail(code, title, credits!.Value, course.Hours, term, grade!);
    }

    /// <summary>A grade of a built-in scheme (<c>scheme</c>) or of one registered by data (<c>scheme_code</c>), never both disagreeing.</summary>
    private static Grade? ParseGrade(V1.Grade grade, CatalogueSnapshot catalogue, FieldViolations violations)
    {
        var before = violations.All.Count;
        var value = violations.Text("course.grade.value", grade.Value, GradeLength, "The grade (成绩)");
        var code = violations.Text("course.grade.scheme_code", grade.SchemeCode, CodeLength, "The grading scheme code", required: false).ToUpperInvariant();
        var scheme = violations.Enum("course.grade.scheme", grade.Scheme, "The grading scheme (评分制)", required: false);
        if (grade.Scheme == V1.GradingScheme.Unspecified && code.Length == 0 && violations.All.Count == before)
        {
            violations.Add("course.grade.scheme",
                "The grading scheme (评分制) is required: GRADING_SCHEME_PERCENTAGE (百分制), GRADING_SCHEME_FIVE_LEVEL (五级制), GRADING_SCHEME_PASS_FAIL (合格制), or a registered scheme_code.",
                "INVALID_GRADE");
        }

        if (violations.All.Count > before)
        {
            return null;
        }

        GradingScheme? builtIn = scheme == V1.GradingScheme.Unspecified ? null : (GradingScheme)(int)scheme;
        if (code.Length > 0 && BuiltIn(code) is { } named)
        {
            if (builtIn is not null && builtIn != named)
            {
                violations.Add("course.grade.scheme_code", $"scheme_code {code} and scheme {grade.Scheme} name different grading schemes; send one of them.", "INVALID_GRADE");
                return null;
            }

            builtIn = named;
        }
        else if (code.Length > 0 && builtIn is not null)
        {
            violations.Add("course.grade.scheme_code", $"scheme_code '{Text.Echo(code)}' and scheme {grade.Scheme} name different grading schemes; send one of them.", "INVALID_GRADE");
            return null;
        }

        if (builtIn is { } known)
        {
            if (Grade.TryCreate(known, value, out var parsed, out var problem))
            {
                return parsed;
            }

            violations.Add("course.grade.value", problem!, "INVALID_GRADE");
            return null;
        }

        if (catalogue.GradingScheme(code) is not { } registered)
        {
            violations.Add("course.grade.scheme_code",
                $"'{Text.Echo(code)}' is not a registered grading scheme (评分制); see GET /v1/gradingSchemes.", "INVALID_GRADE");
            return null;
        }

        if (registered.Problem(value) is { } wrong)
        {
            violations.Add("course.grade.value", wrong, "INVALID_GRADE");
            return null;
        }

        return new Grade(null, value, registered.Code);
    }

    private static GradingScheme? BuiltIn(string code) => code.Replace("_", string.Empty) switch
    {
        "PERCENTAGE" => GradingScheme.Percentage,
        "FIVELEVEL" => GradingScheme.FiveLevel,
        "PASSFAIL" => GradingScheme.PassFail,
        _ => null,
    };

    private static SkillCertificateDetail? ParseCertificate(V1.SkillCertificate certificate, FieldViolations violations, DateOnly today)
    {
        var before = violations.All.Count;
        var name = violations.Text("skill_certificate.certificate_name", certificate.CertificateName, TitleLength, "The certificate name (证书名称)");
        var number = violations.Text("skill_certificate.certificate_number", certificate.CertificateNumber, CertificateNumberLength, "The certificate number (证书编号)");
        var level = violations.Enum("skill_certificate.level", certificate.Level, "The level (等级)");
        var issued = violations.Date("skill_certificate.issue_date", certificate.IssueDate, "The issue date (发证日期)", today);
        return violations.All.Count > before ? null : new SkillCertificateDetail(name, (SkillLevel)(int)level, number, issued!.Value);
    }

    private static QualificationDetail? ParseQualification(V1.VocationalQualification q, FieldViolations violations, DateOnly today)
    {
        var before = violations.All.Count;
        var name = violations.Text("vocational_qualification.qualification_name", q.QualificationName, TitleLength, "The qualification (职业资格名称)");
        var number = violations.Text("vocational_qualification.certificate_number", q.CertificateNumber, CertificateNumberLength, "The certificate number (证书编号)");
        var level = violations.Enum("vocational_qualification.level", q.Level, "The level (职业资格等级)");
        var issued = violations.Date("vocational_qualification.issue_date", q.IssueDate, "The issue date (发证日期)", today);
        return violations.All.Count > before ? null : new QualificationDetail(name, (int)level, number, issued!.Value);
    }

    private static SpecialAbilityDetail? ParseAbility(V1.SpecialAbility a, FieldViolations violations, DateOnly today)
    {
        var before = violations.All.Count;
        var name = violations.Text("special_ability.ability_name", a.AbilityName, TitleLength, "The ability (专项职业能力名称)");
        var number = violations.Text("special_ability.certificate_number", a.CertificateNumber, CertificateNumberLength, "The certificate number (证书编号)");
        var issued = violations.Date("special_ability.issue_date", a.IssueDate, "The issue date (发证日期)", today);
        return violations.All.Count > before ? null : new SpecialAbilityDetail(name, number, issued!.Value);
    }

    private static TrainingDetail? ParseTraining(V1.TrainingRecord t, FieldViolations violations, DateOnly today)
    {
        var before = violations.All.Count;
        var title = violations.Text("training_record.title", t.Title, TitleLength, "The training (培训名称)");
        violations.Whole("training_record.hours", t.Hours, 1, MaxCourseHours, "Training hours (培训学时)", "INVALID_HOURS");
        var number = violations.Text("training_record.certificate_number", t.CertificateNumber, CertificateNumberLength, "The certificate number (结业证书编号)", required: false);
        var completed = violations.Date("training_record.completion_date", t.CompletionDate, "The completion date (结业日期)", today);
        return violations.All.Count > before ? null : new TrainingDetail(title, t.Hours, completed!.Value, NullIfEmpty(number));
    }

    private static AwardDetail? ParseAward(V1.CompetitionAward w, FieldViolations violations, DateOnly today)
    {
        var before = violations.All.Count;
        var name = violations.Text("competition_award.competition_name", w.CompetitionName, TitleLength, "The competition (竞赛名称)");
        var number = violations.Text("competition_award.certificate_number", w.CertificateNumber, CertificateNumberLength, "The award certificate number (获奖证书编号)");
        var level = violations.Enum("competition_award.level", w.Level, "The level (竞赛级别)");
        var rank = violations.Enum("competition_award.rank", w.Rank, "The rank (奖项等次)");
        var awarded = violations.Date("competition_award.award_date", w.AwardDate, "The award date (获奖日期)", today);
        return violations.All.Count > before ? null : new AwardDetail(name, (AwardLevel)(int)level, (AwardRank)(int)rank, number, awarded!.Value);
    }

    public static InformalDetail? ParseInformal(V1.InformalOutcome i, FieldViolations violations, DateOnly today)
    {
        var before = violations.All.Count;
        var type = violations.Enum("informal_outcome.type", i.Type, "The type");
        var title = violations.Text("informal_outcome.title", i.Title, TitleLength, "The title (名称)");
        var provider = violations.Text("informal_outcome.provider", i.Provider, TitleLength, "The platform or employer (平台/单位)");
        violations.Whole("informal_outcome.hours", i.Hours, 1, MaxInformalHours, "Hours", "INVALID_HOURS");
        var number = violations.Text("informal_outcome.certificate_number", i.CertificateNumber, CertificateNumberLength, "The certificate number", required: false);
        var completed = violations.Date("informal_outcome.completion_date", i.CompletionDate, "The completion date (完成日期)", today);
        return violations.All.Count > before
            ? null
            : new InformalDetail((InformalType)(int)type, title, provider, i.Hours, completed!.Value, NullIfEmpty(number));
    }

    /// <summary>Credits a reviewer or an administrator gives: more than 0, at most <paramref name="max"/>, two decimals.</summary>
    public static decimal CheckCredits(double value, decimal max, string field, FieldViolations violations) =>
        violations.Amount(field, value, 0m, max, 2, "Credits (学分)", "INVALID_CREDITS", minExclusive: true) ?? -1m;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>A short prefix of a value for an error message (see <see cref="Text.Echo"/>).</summary>
    public static string Shorten(string value) => Text.Echo(value);
}
