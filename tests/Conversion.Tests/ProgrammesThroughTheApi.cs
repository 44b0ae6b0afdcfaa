using CreditBank.Contracts.Conversion.V1;
using CreditBank.Conversion.Data;
using CreditBank.TestSupport;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace CreditBank.Conversion.Tests;

/// <summary>Programmes made, revised and read through the contract, and evaluated against as the seeded ones are.</summary>
public sealed class ProgrammesThroughTheApi(StandaloneBankHost bank) : IClassFixture<StandaloneBankHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private ConversionService.ConversionServiceClient Admin => bank.Conversion(bank.Callers.AdminToken);

    private ConversionService.ConversionServiceClient University => bank.ConversionAsInstitution(StandaloneBankHost.University);

    [Fact]
    public async Task A_programme_and_its_rules_made_through_the_api_convert_a_learners_course()
    {
        var created = (await Admin.CreateProgrammeAsync(Ai("CQU-AI-2026"), cancellationToken: _ct)).Programme;
        var import = await University.ImportRulesAsync(new() { ProgrammeCode = "CQU-AI-2026", Format = RuleFileFormat.Json, Content = DataStructuresRule("CQU-AI-2026") },
            cancellationToken: _ct);
        var number = Requests.ResidentId(931);
        var learner = await bank.LearnerAsync("learner931", number);
        await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: number, institution: StandaloneBankHost.College, grade: "88", courseCode: "CS101"),
            cancellationToken: _ct);

        var evaluation = await bank.EvaluateWhenSeenAsync(learner, "CQU-AI-2026", 1);
        var audit = await new Contracts.Operations.V1.AuditService.AuditServiceClient(bank.Host.Channel.WithToken(bank.Callers.AdminToken))
            .ListAuditEntriesAsync(new() { Service = "conversion", Target = "programme:CQU-AI-2026" }, cancellationToken: _ct);

        Assert.Equal((1, StandaloneBankHost.University, 100d, 15d), (created.Version, created.InstitutionCode, created.TotalCredits, created.Caps.MaxTotalCredits));
        Assert.StartsWith("admin:", created.VersionCreatedBy);
        Assert.Empty(import.Problems);
        var exemption = Assert.Single(evaluation.Exemptions);
        Assert.Equal(["AI202"], exemption.CourseCodes);
        Assert.Equal(4d, exemption.Credits);
        Assert.Equal(["ImportRules", "CreateProgramme"], audit.Entries.Select(e => e.Action));
    }

    [Fact]
    public async Task A_revision_is_a_new_version_and_an_application_keeps_citing_the_version_it_was_evaluated_under()
    {
        await University.CreateProgrammeAsync(Ai("CQU-AI-2027"), cancellationToken: _ct);
        await University.ImportRulesAsync(new() { ProgrammeCode = "CQU-AI-2027", Format = RuleFileFormat.Json, Content = DataStructuresRule("CQU-AI-2027") },
            cancellationToken: _ct);
        var number = Requests.ResidentId(932);
        var learner = await bank.LearnerAsync("learner932", number);
        await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: number, institution: StandaloneBankHost.College, grade: "88", courseCode: "CS101"),
            cancellationToken: _ct);
        await bank.EvaluateWhenSeenAsync(learner, "CQU-AI-2027", 1);
        var applied = (await bank.Conversion(learner).ApplyForConversionAsync(new() { RequestId = "p-932", ProgrammeCode = "CQU-AI-2027" }, cancellationToken: _ct)).Application;

        var revision = Ai("CQU-AI-2027");
        revision.Courses.Single(c => c.Code == "AI202").Credits = 5;
        var revised = await University.ReviseProgrammeAsync(new()
        {
            ProgrammeCode = "CQU-AI-2027", Name = revision.Name, Courses = { revision.Courses }, Caps = revision.Caps, ExpectedVersion = 1,
        }, cancellationToken: _ct);
        var unchanged = await University.ReviseProgrammeAsync(new() { ProgrammeCode = "CQU-AI-2027", Name = revision.Name, Courses = { revision.Courses }, Caps = revision.Caps },
            cancellationToken: _ct);
        var stale = await Assert.ThrowsAsync<RpcException>(() => University.ReviseProgrammeAsync(new()
        {
            ProgrammeCode = "CQU-AI-2027", Name = "改名", Courses = { revision.Courses }, ExpectedVersion = 1,
        }, cancellationToken: _ct).ResponseAsync);
        var now = await bank.Conversion(learner).EvaluateConversionAsync(new() { ProgrammeCode = "CQU-AI-2027" }, cancellationToken: _ct);
        var cited = (await bank.Conversion(learner).GetApplicationAsync(new() { ApplicationId = applied.ApplicationId }, cancellationToken: _ct)).Application;
        var first = (await Admin.GetProgrammeAsync(new() { ProgrammeCode = "CQU-AI-2027", Version = cited.ProgrammeVersion }, cancellationToken: _ct)).Programme;
        var current = (await bank.Conversion(learner).GetProgrammeAsync(new() { ProgrammeCode = "CQU-AI-2027" }, cancellationToken: _ct)).Programme;

        Assert.Equal((2, true), (revised.Programme.Version, revised.Changed));
        Assert.Equal((2, false), (unchanged.Programme.Version, unchanged.Changed));
        Assert.Equal((StatusCode.FailedPrecondition, "STALE_PROGRAMME_VERSION"), (stale.StatusCode, stale.ErrorInfo()?.Reason));
        Assert.Equal(5d, Assert.Single(now.Exemptions).Credits);
        Assert.Equal((1, 4d), (cited.ProgrammeVersion, cited.Items[0].Exemption.Credits));
        Assert.Equal(4d, first.Courses.Single(c => c.Code == "AI202").Credits);
        Assert.Equal((2, 5d), (current.Version, current.Courses.Single(c => c.Code == "AI202").Credits));
    }

    [Fact]
    public async Task A_programme_definition_is_refused_field_by_field()
    {
        var request = Ai("CQU-AI-BAD");
        request.Courses[0].Credits = 0;
        request.Courses[1].Category = "MANDATORY";
        request.Courses[2].Code = request.Courses[3].Code;
        request.Caps.MaxPublicShare = 1.5;
        request.Name = string.Empty;

        var refused = await Assert.ThrowsAsync<RpcException>(() => Admin.CreateProgrammeAsync(request, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(
            [("name", "REQUIRED_FIELD"), ("courses[0].credits", "CREDITS_OUT_OF_RANGE"), ("courses[1].category", "UNKNOWN_COURSE_CATEGORY"),
             ("courses[3].code", "DUPLICATE_COURSE"), ("caps.max_public_share", "CAP_OUT_OF_RANGE")],
            refused.FieldViolations().Select(v => (v.Field, v.Reason)).ToList());
    }

    [Fact]
    public async Task Only_an_administrator_or_the_programmes_own_institution_makes_and_revises_it_and_a_code_is_made_once()
    {
        var learner = await bank.LearnerAsync("learner933", Requests.ResidentId(933));
        await Admin.CreateProgrammeAsync(Ai("CQU-AI-2028"), cancellationToken: _ct);

        var again = await Assert.ThrowsAsync<RpcException>(() => University.CreateProgrammeAsync(Ai("CQU-AI-2028"), cancellationToken: _ct).ResponseAsync);
        var forAnother = await Assert.ThrowsAsync<RpcException>(() => bank.ConversionAsInstitution(StandaloneBankHost.College)
            .CreateProgrammeAsync(Ai("CQU-AI-2029"), cancellationToken: _ct).ResponseAsync);
        var revisedByAnother = await Assert.ThrowsAsync<RpcException>(() => bank.ConversionAsInstitution(StandaloneBankHost.College)
            .ReviseProgrammeAsync(new() { ProgrammeCode = "CQU-AI-2028", Name = "改名", Courses = { Ai("x").Courses } }, cancellationToken: _ct).ResponseAsync);
        var byLearner = await Assert.ThrowsAsync<RpcException>(() => bank.Conversion(learner).CreateProgrammeAsync(Ai("CQU-AI-2030"), cancellationToken: _ct).ResponseAsync);
        var missingVersion = await Assert.ThrowsAsync<RpcException>(() => bank.Conversion(learner)
            .GetProgrammeAsync(new() { ProgrammeCode = "CQU-AI-2028", Version = 9 }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal((StatusCode.AlreadyExists, "PROGRAMME_EXISTS"), (again.StatusCode, again.ErrorInfo()?.Reason));
        Assert.Equal((StatusCode.PermissionDenied, "NOT_YOUR_PROGRAMME"), (forAnother.StatusCode, forAnother.ErrorInfo()?.Reason));
        Assert.Equal((StatusCode.PermissionDenied, "NOT_YOUR_PROGRAMME"), (revisedByAnother.StatusCode, revisedByAnother.ErrorInfo()?.Reason));
        Assert.Equal(StatusCode.PermissionDenied, byLearner.StatusCode);
        Assert.Equal((StatusCode.NotFound, "PROGRAMME_VERSION_NOT_FOUND"), (missingVersion.StatusCode, missingVersion.ErrorInfo()?.Reason));
    }

    [Fact]
    public async Task A_revision_cannot_drop_a_course_that_a_rule_in_force_exempts()
    {
        await Admin.CreateProgrammeAsync(Ai("CQU-AI-2031"), cancellationToken: _ct);
        await Admin.ImportRulesAsync(new() { ProgrammeCode = "CQU-AI-2031", Format = RuleFileFormat.Json, Content = DataStructuresRule("CQU-AI-2031") }, cancellationToken: _ct);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Admin.ReviseProgrammeAsync(new()
        {
            ProgrammeCode = "CQU-AI-2031", Name = "人工智能", Courses = { Ai("x").Courses.Where(c => c.Code != "AI202") },
        }, cancellationToken: _ct).ResponseAsync);

        var violation = Assert.Single(refused.FieldViolations());
        Assert.Equal(("courses", "COURSE_IN_USE"), (violation.Field, violation.Reason));
        Assert.Contains("R-CQU-AI-2031-DS", violation.Description);
    }

    [Fact]
    public async Task A_rule_id_of_another_programme_is_refused_rather_than_overwritten()
    {
        await Admin.CreateProgrammeAsync(Ai("CQU-AI-2033"), cancellationToken: _ct);

        var refused = await Assert.ThrowsAsync<RpcException>(() => University.ImportRulesAsync(new()
        {
            ProgrammeCode = "CQU-AI-2033", Format = RuleFileFormat.Json,
            Content = DataStructuresRule("CQU-AI-2033").Replace("R-CQU-AI-2033-DS", "R-CS-DS", StringComparison.Ordinal),
        }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var violation = Assert.Single(refused.FieldViolations());
        Assert.Equal(("content", "RULE_ID_TAKEN"), (violation.Field, violation.Reason));
        Assert.Contains("CQU-SE-2025", violation.Description);
    }

    [Fact]
    public async Task Programmes_are_listed_in_pages_and_by_institution()
    {
        await Admin.CreateProgrammeAsync(Ai("CQU-AI-2032"), cancellationToken: _ct);
        var codes = new List<string>();
        var token = string.Empty;
        var pages = 0;
        do
        {
            var page = await Admin.ListProgrammesAsync(new() { PageSize = 1, PageToken = token }, cancellationToken: _ct);
            codes.AddRange(page.Programmes.Select(p => p.ProgrammeCode));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 100);
        var college = await Admin.ListProgrammesAsync(new() { InstitutionCode = StandaloneBankHost.College }, cancellationToken: _ct);

        Assert.Equal(codes.Count, pages);
        Assert.Equal(codes.Distinct(), codes);
        Assert.Contains("CQU-AI-2032", codes);
        Assert.Contains("CQU-SE-2025", codes);
        Assert.Equal(["CQCET-ME-2025"], college.Programmes.Select(p => p.ProgrammeCode));
    }

    [Fact]
    public async Task The_seed_never_overwrites_a_programme_the_api_revised()
    {
        var seeded = (await Admin.GetProgrammeAsync(new() { ProgrammeCode = "CQCET-ME-2025" }, cancellationToken: _ct)).Programme;
        await bank.ConversionAsInstitution(StandaloneBankHost.College).ReviseProgrammeAsync(new()
        {
            ProgrammeCode = "CQCET-ME-2025", Name = seeded.Name + "（2026 修订）", Courses = { seeded.Courses }, Caps = seeded.Caps,
        }, cancellationToken: _ct);

        var seed = bank.Host.Services.GetServices<IHostedService>().OfType<ProgrammeSeed>().Single();
        await seed.StartAsync(_ct);
        var after = (await Admin.GetProgrammeAsync(new() { ProgrammeCode = "CQCET-ME-2025" }, cancellationToken: _ct)).Programme;

        Assert.Equal(1, seeded.Version);
        Assert.Equal((seeded.Version + 1, seeded.Name + "（2026 修订）"), (after.Version, after.Name));
    }

    /// <summary>人工智能 at 重庆大学: 100 credits; AI202 数据结构 is what a college's CS101 converts into.</summary>
    private static CreateProgrammeRequest Ai(string code) => new()
    {
        ProgrammeCode = code,
        InstitutionCode = StandaloneBankHost.University,
        Name = "人工智能（本科）",
        Caps = new ProgrammeCaps { MaxTotalCredits = 15 },
        Courses =
        {
            new Course { Code = "AI101", Title = "大学英语", Credits = 10, Category = "PUBLIC" },
            new Course { Code = "AI201", Title = "机器学习", Credits = 6, Category = "CORE" },
            new Course { Code = "AI202", Title = "数据结构", Credits = 4, Category = "CORE" },
            new Course { Code = "AI301", Title = "智能系统实践", Credits = 10, Category = "SPECIALISED" },
            new Course { Code = "REST", Title = "其余课程（合计）", Credits = 70, Category = "CORE" },
        },
    };

    private static string DataStructuresRule(string programme) =>
        $$"""[{ "ruleId": "R-{{programme}}-DS", "programme": "{{programme}}", "from": { "course": { "institution": "{{StandaloneBankHost.College}}", "code": "CS101" }, "minGrade": { "scheme": "PERCENTAGE", "value": "80" } }, "exempts": ["AI202"], "effectiveFrom": "2025-01-01" }]""";
}
