using System.Net;
using System.Text;
using System.Text.Json;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Contracts.Type.V1;
using Google.Protobuf;
using Grpc.Core;

namespace CreditBank.Hardening.Tests;

/// <summary>Each defect a hostile caller found, as the caller met it, on the standalone host over both transports.</summary>
[Collection(OneStandaloneBank.Name)]
public sealed class Defects(StandaloneBank bank)
{
    private static readonly Google.Protobuf.Reflection.MethodDescriptor Submit = RecognitionService.Descriptor.FindMethodByName("SubmitOutcome");

    public static TheoryData<string, string, string> Submissions => new()
    {
        { "vocational qualification level -1", "vocational_qualification.level", "UNKNOWN_ENUM_VALUE" },
        { "competition award level -1", "competition_award.level", "UNKNOWN_ENUM_VALUE" },
        { "competition award rank -1", "competition_award.rank", "UNKNOWN_ENUM_VALUE" },
        { "informal outcome type -1", "informal_outcome.type", "UNKNOWN_ENUM_VALUE" },
        { "a NUL in the learner's name", "learner.name", "INVALID_TEXT" },
        { "a bell in the course code", "course.course_code", "INVALID_TEXT" },
        { "a control character in a certificate number", "skill_certificate.certificate_number", "INVALID_TEXT" },
        { "a 居民身份证 born in 2099", "learner.document_number", "INVALID_DOCUMENT_NUMBER" },
        { "a 居民身份证 born in 1800", "learner.document_number", "INVALID_DOCUMENT_NUMBER" },
        { "a 居民身份证 of region 000000", "learner.document_number", "INVALID_DOCUMENT_NUMBER" },
        { "an emoji term", "course.term", "INVALID_TERM" },
        { "a term whose years run backwards", "course.term", "INVALID_TERM" },
        { "an issue date of 0001-01-01", "skill_certificate.issue_date", "INVALID_DATE" },
        { "an unknown scheme_code beside a scheme", "course.grade.scheme_code", "INVALID_GRADE" },
        { "a 10,000-character grade", "course.grade.value", "FIELD_TOO_LONG" },
    };

    [Theory]
    [MemberData(nameof(Submissions))]
    public async Task A_malformed_submission_is_refused_naming_the_field_over_grpc_and_rest(string mistake, string field, string reason)
    {
        var request = Make(mistake);
        var exchange = new Exchange(bank);

        var answers = new[]
        {
            await exchange.GrpcAsync(mistake, Submit, request.ToByteArray(), bank.TokenOf["college"]),
            await exchange.RestAsync(mistake, Submit, request, bank.TokenOf["college"]),
        };

        Assert.All(answers, answer =>
        {
            Assert.Equal(StatusCode.InvalidArgument, answer.Code);
            Assert.Contains(field, answer.ViolationFields!);
            Assert.Contains(reason, answer.ViolationReasons);
            Assert.True(answer.Detail.Length < 2000, $"The answer repeats too much: {answer.Detail.Length} characters.");
        });
        Assert.Equal(400, answers[1].HttpStatus);
    }

    [Fact]
    public async Task A_string_that_is_not_utf8_over_grpc_is_invalid_argument_naming_the_field_not_unknown()
    {
        var request = Make("valid course");
        request.Learner.Name = "QZXQZX";
        var bytes = request.ToByteArray();
        var at = bytes.AsSpan().IndexOf("QZXQZX"u8);
        new byte[] { 0xED, 0xA0, 0x80, 0xD5, 0xC5, 0x41 }.CopyTo(bytes, at);

        var answer = await new Exchange(bank).GrpcAsync("not UTF-8", Submit, bytes, bank.TokenOf["college"]);

        Assert.Equal(StatusCode.InvalidArgument, answer.Code);
        Assert.Equal("INVALID_ENCODING", answer.Reason);
        Assert.Equal(["learner.name"], answer.ViolationFields!);
    }

    public static TheoryData<string, double, double> UnitCredits => new()
    {
        { "NaN", double.NaN, 4 }, { "+Infinity", 1, double.PositiveInfinity }, { "-Infinity", double.NegativeInfinity, 4 }, { "1e308", 1, 1e308 },
    };

    [Theory]
    [MemberData(nameof(UnitCredits))]
    public async Task Unit_credit_bounds_that_are_not_numbers_are_refused_not_overflowed(string label, double min, double max)
    {
        var unit = Unit();
        (unit.Unit.MinCredits, unit.Unit.MaxCredits) = (min, max);

        var answer = await new Exchange(bank).GrpcAsync(label, CatalogueService.Descriptor.FindMethodByName("SaveAccreditationUnit"), unit.ToByteArray(), bank.TokenOf["admin"]);

        Assert.Equal(StatusCode.InvalidArgument, answer.Code);
        Assert.All(answer.ViolationReasons, r => Assert.Equal("INVALID_CREDITS", r));
    }

    [Theory]
    [InlineData(-1, "INVALID_LEVEL")]
    [InlineData(int.MaxValue, "INVALID_LEVEL")]
    public async Task A_unit_level_outside_its_kind_is_refused(int level, string reason)
    {
        var unit = Unit();
        unit.Unit.Level = level;

        var answer = await new Exchange(bank).GrpcAsync("level", CatalogueService.Descriptor.FindMethodByName("SaveAccreditationUnit"), unit.ToByteArray(), bank.TokenOf["admin"]);

        Assert.Equal(reason, answer.Reason);
        Assert.Equal(["unit.level"], answer.ViolationFields!);
    }

    [Fact]
    public async Task A_unit_with_a_megabyte_of_criteria_is_refused_as_too_large_and_one_of_3000_characters_as_too_long()
    {
        var huge = Unit();
        huge.Unit.Criteria = new string('标', 350_000);
        var long3000 = Unit();
        long3000.Unit.Criteria = new string('标', 3000);
        var save = CatalogueService.Descriptor.FindMethodByName("SaveAccreditationUnit");

        var tooLarge = await new Exchange(bank).GrpcAsync("1 MB criteria", save, huge.ToByteArray(), bank.TokenOf["admin"]);
        var tooLong = await new Exchange(bank).GrpcAsync("3000 characters", save, long3000.ToByteArray(), bank.TokenOf["admin"]);

        Assert.Equal((StatusCode.ResourceExhausted, "REQUEST_TOO_LARGE"), (tooLarge.Code, tooLarge.Reason));
        Assert.Equal((StatusCode.InvalidArgument, "FIELD_TOO_LONG"), (tooLong.Code, tooLong.Reason));
    }

    public static TheoryData<string, string, string, string> Uploads => new()
    {
        { "a CSV without a header row", "text/csv", "COURSE,500228200501011237,张三,CS1,课,3,48,2025-2026-1,FIVE_LEVEL,优", "UNKNOWN_COLUMN" },
        { "a duplicated column", "text/csv", "kind,document_number,name,name\nCOURSE,500228200501011237,张三,张三", "DUPLICATE_COLUMN" },
        { "a body of commas", "text/csv", ",,,,\n,,,,", "UNKNOWN_COLUMN" },
        { "CSV sent as application/json", "application/json", "kind,document_number,name\nCOURSE,500228200501011237,张三", "MALFORMED_JSON" },
        { "a JSON object instead of an array", "application/json", "{\"lineNumber\":1}", "MALFORMED_JSON" },
        { "JSON nested deeper than 64", "application/json", new string('[', 70) + new string(']', 70), "MALFORMED_JSON" },
    };

    [Theory]
    [MemberData(nameof(Uploads))]
    public async Task A_batch_file_the_bank_cannot_read_is_a_400_with_its_reason_not_an_empty_500(string file, string contentType, string body, string reason)
    {
        var answer = await UploadAsync(file, Encoding.UTF8.GetBytes(body), contentType);

        Assert.Equal(400, answer.HttpStatus);
        Assert.Contains(reason, answer.ViolationReasons);
        Assert.NotNull(answer.Reason);
    }

    [Fact]
    public async Task A_batch_header_declaring_two_to_the_63_lines_is_refused()
    {
        var answer = await UploadAsync("2^63-1 lines", Encoding.UTF8.GetBytes("kind,document_number,name\n"), "text/csv", "&total_lines=9223372036854775807");

        Assert.Equal((400, "INVALID_LINE_COUNT"), (answer.HttpStatus, answer.Reason));
    }

    [Fact]
    public async Task A_gbk_file_is_read_when_declared_and_refused_when_not_never_stored_as_mojibake()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Encoding.GetEncoding("GBK");
        var title = $"国标课程 {Guid.NewGuid():N}"[..16];
        var csv = $"kind,document_number,name,course_code,title,credits,hours,term,grade_scheme,grade\nCOURSE,510104199903150029,李四,GB1,{title},2,32,2025-2026-1,FIVE_LEVEL,良\n";

        var undeclared = await UploadAsync("GBK without charset", gbk.GetBytes(csv), "text/csv");
        var declared = await UploadAsync("GBK declared", gbk.GetBytes(csv), "text/csv; charset=gbk");
        var outcomes = await new RecognitionService.RecognitionServiceClient(bank.Channel.WithToken(bank.TokenOf["admin"]))
            .ListLearnerOutcomesAsync(new() { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = "510104199903150029", PageSize = 1000 },
                cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal((400, "INVALID_ENCODING"), (undeclared.HttpStatus, undeclared.Reason));
        Assert.Equal(200, declared.HttpStatus);
        var stored = Assert.Single(outcomes.Outcomes, o => o.Course?.Title == title);
        Assert.Equal("李四", stored.LearnerName);
    }

    [Fact]
    public async Task A_control_character_in_a_csv_cell_makes_its_line_invalid_and_nothing_of_it_is_stored()
    {
        var csv = "kind,document_number,name,course_code,title,credits,hours,term,grade_scheme,grade\nCOURSE,500228200501011237,张\u0000三,CC1,控制字符课,2,32,2025-2026-1,FIVE_LEVEL,良\n";

        var answer = await UploadAsync("NUL in a cell", Encoding.UTF8.GetBytes(csv), "text/csv");

        Assert.Equal(200, answer.HttpStatus);
        using var json = JsonDocument.Parse(answer.Detail);
        Assert.Equal(1, json.RootElement.GetProperty("batch").GetProperty("invalid").GetInt64());
        Assert.Equal("INVALID_TEXT", json.RootElement.GetProperty("problems")[0].GetProperty("violations")[0].GetProperty("reason").GetString());
    }

    public static TheoryData<string, string?, string, string> RestMistakes => new()
    {
        { "malformed JSON", "{\"requestId\":", "body", "MALFORMED_JSON" },
        { "a number where text goes", "{\"requestId\":42}", "request_id", "INVALID_FIELD_TYPE" },
        { "text where a number goes", "{\"course\":{\"hours\":\"many\"}}", "course.hours", "INVALID_FIELD_TYPE" },
        { "an enum name the contract does not define", "{\"learner\":{\"documentType\":\"DOCUMENT_TYPE_DRIVING_LICENCE\"}}", "learner.document_type", "INVALID_FIELD_TYPE" },
        { "a field the request does not have", "{\"requestID\":\"r-1\"}", "requestID", "UNKNOWN_FIELD" },
    };

    [Theory]
    [MemberData(nameof(RestMistakes))]
    public async Task What_json_transcoding_cannot_read_is_a_400_with_error_info_and_the_field(string mistake, string? body, string field, string reason)
    {
        var answer = await new Exchange(bank).RestAsync(mistake, Submit, new SubmitOutcomeRequest(), bank.TokenOf["college"], body, "application/json");

        Assert.Equal(400, answer.HttpStatus);
        Assert.Equal(reason, answer.Reason);
        Assert.Contains(field, answer.ViolationFields!);
    }

    [Fact]
    public async Task A_query_number_that_is_not_a_number_names_the_parameter_and_an_empty_kind_lists_every_unit()
    {
        var units = CatalogueService.Descriptor.FindMethodByName("ListAccreditationUnits");

        var bad = await new Exchange(bank).RestAsync("page_size=abc", units, new ListAccreditationUnitsRequest(), bank.TokenOf["admin"], null, null, "page_size=abc");
        var empty = await new Exchange(bank).RestAsync("kind=", units, new ListAccreditationUnitsRequest(), bank.TokenOf["admin"], null, null, "kind=");

        Assert.Equal((400, "INVALID_FIELD_TYPE"), (bad.HttpStatus, bad.Reason));
        Assert.Equal(["page_size"], bad.ViolationFields!);
        Assert.Equal(200, empty.HttpStatus);
    }

    [Fact]
    public async Task A_megabyte_grade_over_rest_is_a_413_that_does_not_repeat_it()
    {
        var request = Make("valid course");
        request.Course.Grade.Value = new string('9', 1_000_000);

        var answer = await new Exchange(bank).RestAsync("1 MB grade", Submit, request, bank.TokenOf["college"]);

        Assert.Equal((413, "REQUEST_TOO_LARGE"), (answer.HttpStatus, answer.Reason));
        Assert.True(answer.Detail.Length < 1000);
    }

    private async Task<Answer> UploadAsync(string name, byte[] body, string contentType, string query = "")
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/v1/batches:upload?institution_code=4150012608&request_id={Guid.NewGuid()}{query}")
        {
            Content = new ByteArrayContent(body),
        };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        message.Headers.Authorization = new("Bearer", bank.TokenOf["college"]);
        return await new Exchange(bank).SendAsync(name, message);
    }

    private static SaveAccreditationUnitRequest Unit() => new()
    {
        Unit = new AccreditationUnit
        {
            Code = "DEFECT-UNIT-1", Kind = OutcomeKind.TrainingRecord, Name = "缺陷测试单元", FrameworkLevel = 4, Credits = 2, MinCredits = 1, MaxCredits = 4,
        },
    };

    private static SubmitOutcomeRequest Make(string mistake)
    {
        var request = Requests.Course(documentNumber: "500228200501011237");
        var certificate = Requests.Certificate(documentNumber: "500228200501011237", institution: "4150012608");
        static string Resident(string first17) => first17 + CreditBank.PersonalData.IdentityDocument.CheckCharacter(first17);
        SubmitOutcomeRequest With(Action<SubmitOutcomeRequest> change, SubmitOutcomeRequest basis)
        {
            change(basis);
            return basis;
        }

        return mistake switch
        {
            "valid course" => request,
            "vocational qualification level -1" => With(r => r.VocationalQualification = new VocationalQualification
            {
                QualificationName = "电工", Level = (QualificationLevel)(-1), CertificateNumber = "VQ-1", IssueDate = "2024-05-01",
            }, request),
            "competition award level -1" => With(r => r.CompetitionAward = new CompetitionAward
            {
                CompetitionName = "技能大赛", Level = (AwardLevel)(-1), Rank = AwardRank.First, CertificateNumber = "AW-1", AwardDate = "2025-06-10",
            }, request),
            "competition award rank -1" => With(r => r.CompetitionAward = new CompetitionAward
            {
                CompetitionName = "技能大赛", Level = AwardLevel.National, Rank = (AwardRank)(-1), CertificateNumber = "AW-2", AwardDate = "2025-06-10",
            }, request),
            "informal outcome type -1" => With(r => r.InformalOutcome = new InformalOutcome
            {
                Type = (InformalType)(-1), Title = "Python", Provider = "MOOC", Hours = 40, CompletionDate = "2025-08-01",
            }, request),
            "a NUL in the learner's name" => With(r => r.Learner.Name = "张\u0000三", request),
            "a bell in the course code" => With(r => r.Course.CourseCode = "CS\u0007101", request),
            "a control character in a certificate number" => With(r => r.SkillCertificate.CertificateNumber = "WEB-\u001B-1", certificate),
            "a 居民身份证 born in 2099" => With(r => r.Learner.DocumentNumber = Resident("50022820990101123"), request),
            "a 居民身份证 born in 1800" => With(r => r.Learner.DocumentNumber = Resident("50022818000101123"), request),
            "a 居民身份证 of region 000000" => With(r => r.Learner.DocumentNumber = Resident("00000020050101123"), request),
            "an emoji term" => With(r => r.Course.Term = "😀🎓", request),
            "a term whose years run backwards" => With(r => r.Course.Term = "2026-2025-1", request),
            "an issue date of 0001-01-01" => With(r => r.SkillCertificate.IssueDate = "0001-01-01", certificate),
            "an unknown scheme_code beside a scheme" => With(r => r.Course.Grade.SchemeCode = "NO_SUCH_SCHEME", request),
            "a 10,000-character grade" => With(r => r.Course.Grade.Value = new string('9', 10_000), request),
            _ => throw new ArgumentOutOfRangeException(nameof(mistake), mistake, null),
        };
    }
}
