using System.Text.RegularExpressions;
using CreditBank.Conversion.Domain;
using CreditBank.Grpc;
using CreditBank.Grpc.Validation;
using V1 = CreditBank.Contracts.Conversion.V1;

namespace CreditBank.Conversion.Validation;

/// <summary>The rules of a programme's definition (CreateProgramme, ReviseProgramme) and of the lists, checked before anything is stored.</summary>
internal static partial class ProgrammeValidation
{
    public const int NameLength = 100;
    public const int CourseTitleLength = 200;
    public const int MaxCourses = 500;

    /// <summary>No one course carries more (a programme's whole remainder, as the demo's REST, is within it).</summary>
    public const decimal MaxCourseCredits = 200m;

    public static Programme Create(V1.CreateProgrammeRequest request)
    {
        var violations = new FieldViolations();
        var code = Code("programme_code", request.ProgrammeCode, violations);
        var institution = violations.Text("institution_code", request.InstitutionCode, 18, "The institution code");
        if (institution.Length > 0 && !InstitutionCodeShape().IsMatch(institution))
        {
            violations.Add("institution_code", "An institution code is an 18-character 统一社会信用代码 or a 10-digit 学校标识码.", "INVALID_INSTITUTION_CODE");
        }

        var programme = Definition(code, institution, request.Name, request.Courses, request.Caps, violations);
        violations.ThrowIfAny("The programme was not created");
        return programme;
    }

    public static (string Code, Programme Revised, int ExpectedVersion) Revise(V1.ReviseProgrammeRequest request)
    {
        var violations = new FieldViolations();
        var code = ConversionValidation.ProgrammeCode(request.ProgrammeCode, violations);
        var expected = violations.Whole("expected_version", request.ExpectedVersion, 0, int.MaxValue, "expected_version", "INVALID_VERSION");
        var programme = Definition(code, string.Empty, request.Name, request.Courses, request.Caps, violations);
        violations.ThrowIfAny("The programme was not revised");
        return (code, programme, (int)expected!.Value);
    }

    public static (string Code, int Version) Get(V1.GetProgrammeRequest request)
    {
        var violations = new FieldViolations();
        var code = ConversionValidation.ProgrammeCode(request.ProgrammeCode, violations);
        var version = violations.Whole("version", request.Version, 0, int.MaxValue, "version (0 for the current one)", "INVALID_VERSION");
        violations.ThrowIfAny("The programme cannot be shown");
        return (code, (int)version!.Value);
    }

    /// <summary>The institution filter of ListProgrammes: empty for all.</summary>
    public static string? List(V1.ListProgrammesRequest request)
    {
        var violations = new FieldViolations();
        var institution = violations.Text("institution_code", request.InstitutionCode, 18, "The institution code", required: false);
        violations.ThrowIfAny("The programmes cannot be listed");
        return institution.Length > 0 ? institution : null;
    }

    /// <summary>The filters of ListApplications (status, programme); whose applications they are is the caller's.</summary>
    public static (ApplicationStatus? Status, string? Programme) Applications(V1.ListApplicationsRequest request)
    {
        var violations = new FieldViolations();
        var status = violations.Enum("status", request.Status, "The status", required: false);
        var programme = violations.Text("programme_code", request.ProgrammeCode, ConversionValidation.CodeLength, "The programme code", required: false);
        violations.ThrowIfAny("The applications cannot be listed");
        return (status == V1.ApplicationStatus.Unspecified ? null : (ApplicationStatus)(int)status, programme.Length > 0 ? programme : null);
    }

    private static Programme Definition(string code, string institution, string name, IEnumerable<V1.Course> given, V1.ProgrammeCaps? caps, FieldViolations violations)
    {
        var title = violations.Text("name", name, NameLength, "The programme's name");
        var courses = Courses(given.ToList(), violations);
        return new Programme
        {
            Code = code,
            InstitutionCode = institution,
            Name = title,
            Courses = courses,
            Caps = Caps(caps, violations),
        };
    }

    private static List<ProgrammeCourse> Courses(IReadOnlyList<V1.Course> given, FieldViolations violations)
    {
        if (given.Count == 0)
        {
            violations.Add("courses", "Give the programme's courses (code, title, credits, category): at least one.", "REQUIRED_FIELD");
        }
        else if (given.Count > MaxCourses)
        {
            violations.Add("courses", $"At most {MaxCourses} courses; got {given.Count}. Group the rest as one course (e.g. REST 其余课程).", "FIELD_TOO_LONG");
            return [];
        }

        var courses = new List<ProgrammeCourse>();
        for (var i = 0; i < given.Count; i++)
        {
            var course = given[i];
            var field = $"courses[{i}]";
            var code = Code($"{field}.code", course.Code, violations);
            var title = violations.Text($"{field}.title", course.Title, CourseTitleLength, "The course's title");
            var credits = violations.Amount($"{field}.credits", course.Credits, 0m, MaxCourseCredits, 2, "A course's credits", "CREDITS_OUT_OF_RANGE", minExclusive: true);
            var category = Category(course.Category);
            if (category is null)
            {
                violations.Add($"{field}.category", $"'{Text.Echo(course.Category)}' is not a course category: PUBLIC, FOUNDATION, CORE, SPECIALISED or ELECTIVE.",
                    "UNKNOWN_COURSE_CATEGORY");
            }

            if (code.Length > 0 && courses.Any(c => c.Code == code))
            {
                violations.Add($"{field}.code", $"Course {code} is given twice; a course code is unique in its programme.", "DUPLICATE_COURSE");
            }

            if (code.Length > 0 && title.Length > 0 && credits is { } amount && category is { } kind)
            {
                courses.Add(new ProgrammeCourse(code, title, amount, kind));
            }
        }

        return courses;
    }

    private static ProgrammeCaps Caps(V1.ProgrammeCaps? caps, FieldViolations violations)
    {
        var defaults = new ProgrammeCaps();
        if (caps is null)
        {
            return defaults;
        }

        return new ProgrammeCaps
        {
            MaxTotalCredits = caps.HasMaxTotalCredits
                ? violations.Amount("caps.max_total_credits", caps.MaxTotalCredits, 0m, 1000m, 2, "max_total_credits", "CAP_OUT_OF_RANGE") ?? 0m
                : defaults.MaxTotalCredits,
            MaxSpecialisedShare = caps.HasMaxSpecialisedShare
                ? violations.Amount("caps.max_specialised_share", caps.MaxSpecialisedShare, 0m, 1m, 4, "max_specialised_share (a share, 0–1)", "CAP_OUT_OF_RANGE") ?? 0m
                : defaults.MaxSpecialisedShare,
            MaxPublicShare = caps.HasMaxPublicShare
                ? violations.Amount("caps.max_public_share", caps.MaxPublicShare, 0m, 1m, 4, "max_public_share (a share, 0–1)", "CAP_OUT_OF_RANGE") ?? 0m
                : defaults.MaxPublicShare,
            MaxCreditsPerCertificate = caps.HasMaxCreditsPerCertificate
                ? violations.Amount("caps.max_credits_per_certificate", caps.MaxCreditsPerCertificate, 0m, 1000m, 2, "max_credits_per_certificate", "CAP_OUT_OF_RANGE") ?? 0m
                : defaults.MaxCreditsPerCertificate,
            OneCertificatePerCourse = caps.HasOneCertificatePerCourse ? caps.OneCertificatePerCourse : defaults.OneCertificatePerCourse,
        };
    }

    private static string Code(string field, string value, FieldViolations violations)
    {
        var code = violations.Text(field, value, ConversionValidation.CodeLength, "The code");
        if (code.Length > 0 && !CodeShape().IsMatch(code))
        {
            violations.Add(field, $"'{Text.Echo(code)}' is not a code: use letters, digits, '-' and '_' (e.g. CQU-SE-2026, CORE201).", "INVALID_CODE");
            return string.Empty;
        }

        return code;
    }

    private static CourseCategory? Category(string value) => value.Trim().ToUpperInvariant() switch
    {
        "PUBLIC" => CourseCategory.Public,
        "FOUNDATION" => CourseCategory.Foundation,
        "CORE" => CourseCategory.Core,
        "SPECIALISED" => CourseCategory.Specialised,
        "ELECTIVE" => CourseCategory.Elective,
        _ => null,
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex CodeShape();

    [GeneratedRegex("^([0-9]{10}|[0-9A-HJ-NP-RTUW-Y]{18})$")]
    private static partial Regex InstitutionCodeShape();
}
