using System.Net;
using System.Text.Json;
using CreditBank.Contracts.Recognition.V1;
using Grpc.Core;

namespace CreditBank.Recognition.Tests;

/// <summary>Each kind of mistake gets InvalidArgument with a field violation naming the field (AIP-193).</summary>
public sealed class BadInput(RecognitionHost bank) : IClassFixture<RecognitionHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> Mistakes => new()
    {
        { "wrong 居民身份证 check character", "learner.document_number", "INVALID_DOCUMENT_NUMBER" },
        { "居民身份证 with an impossible birth date", "learner.document_number", "INVALID_DOCUMENT_NUMBER" },
        { "empty name", "learner.name", "REQUIRED_FIELD" },
        { "negative credits", "course.credits", "INVALID_CREDITS" },
        { "absurd credits", "course.credits", "INVALID_CREDITS" },
        { "百分制 grade over 100", "course.grade.value", "INVALID_GRADE" },
        { "五级制 grade that is not a level", "course.grade.value", "INVALID_GRADE" },
        { "no grading scheme", "course.grade.scheme", "INVALID_GRADE" },
        { "unknown institution", "institution_code", "UNKNOWN_INSTITUTION" },
        { "issue date in the future", "skill_certificate.issue_date", "ISSUE_DATE_IN_FUTURE" },
        { "issue date that is not a date", "skill_certificate.issue_date", "INVALID_DATE" },
        { "over-long course title", "course.title", "FIELD_TOO_LONG" },
        { "over-long certificate number", "skill_certificate.certificate_number", "FIELD_TOO_LONG" },
        { "no request_id", "request_id", "REQUIRED_FIELD" },
        { "no outcome", "outcome", "REQUIRED_FIELD" },
        { "no skill level", "skill_certificate.level", "REQUIRED_FIELD" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task Each_mistake_is_refused_naming_the_field(string mistake, string field, string reason)
    {
        var request = Make(mistake);

        var refused = await Assert.ThrowsAsync<RpcException>(() => bank.SubmitAsync(request, _ct));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var violation = Assert.Single(refused.FieldViolations());
        Assert.Equal(field, violation.Field);
        Assert.Equal(reason, violation.Reason);
        Assert.False(string.IsNullOrWhiteSpace(violation.Description));
        Assert.Equal(reason, refused.ErrorInfo()?.Reason);
        Assert.Equal("creditbank.cn", refused.ErrorInfo()?.Domain);
    }

    [Fact]
    public async Task Several_mistakes_are_all_reported_at_once()
    {
        var request = Requests.Course(credits: -1, grade: "101");
        request.Learner.Name = " ";

        var refused = await Assert.ThrowsAsync<RpcException>(() => bank.SubmitAsync(request, _ct));

        Assert.Equal(["learner.name", "course.credits", "course.grade.value"], refused.FieldViolations().Select(v => v.Field));
        Assert.Equal("INVALID_REQUEST", refused.ErrorInfo()?.Reason);
    }

    [Fact]
    public async Task A_document_number_typed_with_full_width_characters_is_accepted_as_the_same_number()
    {
        var number = Requests.ResidentId(77);
        var fullWidth = string.Concat(number.Select(c => (char)(c + 0xFEE0)));

        var answer = await bank.SubmitAsync(Requests.Course(documentNumber: fullWidth), _ct);
        var outcome = await bank.GetAsync(answer.OutcomeId, _ct);

        Assert.EndsWith(number[^4..], outcome.LearnerDocumentMasked);
    }

    [Fact]
    public async Task Over_rest_a_mistake_is_a_400_with_the_same_details_as_json()
    {
        var body = """
            {"requestId":"rest-1","institutionCode":"4150012608",
             "learner":{"documentType":"DOCUMENT_TYPE_RESIDENT_ID_CARD","documentNumber":"500228200501011236","name":"张三"},
             "course":{"courseCode":"CS101","title":"数据结构","credits":4,"hours":64,"term":"2025-2026-1",
                       "grade":{"scheme":"GRADING_SCHEME_PERCENTAGE","value":"87"}}}
            """;

        var response = await bank.Host.Rest.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/outcomes")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        }.WithToken(await bank.TokenOf(Requests.TrustedCollege)), _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct)).RootElement;
        var details = json.GetProperty("details").EnumerateArray().ToList();
        Assert.Contains(details, d => d.GetProperty("@type").GetString()!.EndsWith("google.rpc.ErrorInfo")
            && d.GetProperty("reason").GetString() == "INVALID_DOCUMENT_NUMBER");
        Assert.Contains(details, d => d.GetProperty("@type").GetString()!.EndsWith("google.rpc.BadRequest")
            && d.GetProperty("fieldViolations")[0].GetProperty("field").GetString() == "learner.document_number");
    }

    [Fact]
    public async Task Over_rest_a_good_outcome_is_accepted_and_can_be_read_back()
    {
        var body = $$"""
            {"requestId":"{{Guid.NewGuid()}}","institutionCode":"4150012608",
             "learner":{"documentType":"DOCUMENT_TYPE_RESIDENT_ID_CARD","documentNumber":"{{Requests.ResidentId(88)}}","name":"张三"},
             "skillCertificate":{"certificateName":"Web 前端开发","level":"SKILL_LEVEL_ADVANCED","certificateNumber":"W-1","issueDate":"2025-01-02"} }
            """;

        var token = await bank.TokenOf(Requests.TrustedCollege);
        var response = await bank.Host.Rest.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/outcomes")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        }.WithToken(token), _ct);
        response.EnsureSuccessStatusCode();
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct)).RootElement.GetProperty("outcomeId").GetString();
        var read = await bank.Host.Rest.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/outcomes/{id}").WithToken(token), _ct);
        var outcome = JsonDocument.Parse(await read.Content.ReadAsStringAsync(_ct)).RootElement.GetProperty("outcome");

        Assert.Equal("OUTCOME_STATUS_RECOGNISED", outcome.GetProperty("status").GetString());
        Assert.Equal(6, outcome.GetProperty("credits").GetDouble());
    }

    private static SubmitOutcomeRequest Make(string mistake)
    {
        var course = Requests.Course();
        var certificate = Requests.Certificate();
        switch (mistake)
        {
            case "wrong 居民身份证 check character":
                var good = Requests.ResidentId(5);
                course.Learner.DocumentNumber = good[..17] + (good[17] == '0' ? '1' : '0');
                return course;
            case "居民身份证 with an impossible birth date":
                var first17 = "50022820051301123";
                course.Learner.DocumentNumber = first17 + CreditBank.PersonalData.IdentityDocument.CheckCharacter(first17);
                return course;
            case "empty name":
                course.Learner.Name = "";
                return course;
            case "negative credits":
                course.Course.Credits = -2;
                return course;
            case "absurd credits":
                course.Course.Credits = 31;
                return course;
            case "百分制 grade over 100":
                course.Course.Grade.Value = "101";
                return course;
            case "五级制 grade that is not a level":
                course.Course.Grade = new Grade { Scheme = GradingScheme.FiveLevel, Value = "甲" };
                return course;
            case "no grading scheme":
                course.Course.Grade.Scheme = GradingScheme.Unspecified;
                return course;
            case "unknown institution":
                course.InstitutionCode = RecognitionHost.UnregisteredInstitution;
                return course;
            case "issue date in the future":
                certificate.SkillCertificate.IssueDate = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd");
                return certificate;
            case "issue date that is not a date":
                certificate.SkillCertificate.IssueDate = "2025-02-30";
                return certificate;
            case "over-long course title":
                course.Course.Title = new string('课', 201);
                return course;
            case "over-long certificate number":
                certificate.SkillCertificate.CertificateNumber = new string('9', 65);
                return certificate;
            case "no request_id":
                course.RequestId = "";
                return course;
            case "no outcome":
                course.ClearOutcome();
                return course;
            case "no skill level":
                certificate.SkillCertificate.Level = SkillLevel.Unspecified;
                return certificate;
            default:
                throw new ArgumentOutOfRangeException(nameof(mistake), mistake, null);
        }
    }
}
