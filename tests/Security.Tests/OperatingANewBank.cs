using System.Net;
using System.Text.Json;
using CreditBank.Accounts;
using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Conversion.V1;
using CreditBank.Contracts.Identity.V1;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Conversion;
using CreditBank.Grpc.Security;
using CreditBank.Identity;
using CreditBank.Identity.Domain;
using CreditBank.PersonalData;
using CreditBank.Recognition;
using CreditBank.TestSupport;
using Grpc.Core;
using Xunit;
using ConversionCourse = CreditBank.Contracts.Conversion.V1.Course;
using TrustLevel = CreditBank.Contracts.Identity.V1.TrustLevel;

namespace CreditBank.Security.Tests;

/// <summary>
/// A bank started without its demo identities, onboarded through the public API by an administrator, then used end to
/// end by the institutions, reviewer and learner it onboarded, each with their own real tokens.
/// </summary>
public sealed class OperatingANewBank
{
    public const string AdministratorPassword = "first-admin-2026";
    public const string Portal = "https://portal.newbank.example/";
    public const string SignInCallback = Portal + "signin-callback";
    private const string College = "4150099201";      // a new college: not a trusted issuer, so its outcomes wait for a reviewer
    private const string University = "4150099202";   // a new university: receives the college's learners into its programme
    private const string Workstation = "WS-WANZHOU";   // 万州区 (500101): no seeded workstation serves it
    private const string Programme = "NCU-ME-2026";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Institutions_a_reviewer_and_a_learner_onboarded_through_the_api_of_a_bank_without_demo_identities_take_an_outcome_from_submission_to_a_decided_conversion()
    {
        await using var host = await ServiceHost.StartAsync(b => b.AddIdentityProvider().AddRecognition().AddAccounts().AddConversion(),
            a => a.MapIdentityProvider().MapRecognition().MapAccounts().MapConversion(), NewBank());
        var demoRefused = await Assert.ThrowsAsync<InvalidOperationException>(() => Tokens.ForClientAsync(host.Rest, "college-4150012608", "demo-college-secret"));
        var demoCallbackRefused = await Assert.ThrowsAsync<InvalidOperationException>(() => Tokens.ForPersonAsync(host.Handler, "first-admin", AdministratorPassword));
        var adminToken = await Tokens.ForPersonAsync(host.Handler, "first-admin", AdministratorPassword, redirectUri: SignInCallback);
        var identity = new AdministrationService.AdministrationServiceClient(host.Channel.WithToken(adminToken));

        // 1. Identity: the two institutions (each client secret shown once) and a reviewer for the new workstation.
        var college = await identity.RegisterInstitutionAsync(new()
        {
            Code = College, Name = "万州职业技术学院（新）", Kind = "高职专科", Region = "渝", TrustLevel = TrustLevel.Untrusted,
        }, cancellationToken: _ct);
        var university = await identity.RegisterInstitutionAsync(new()
        {
            Code = University, Name = "渝东北大学（新）", Kind = "普通本科", Region = "渝", TrustLevel = TrustLevel.Trusted,
        }, cancellationToken: _ct);
        var reviewer = (await identity.CreateReviewerAsync(new()
        {
            UserName = "reviewer-wanzhou", DisplayName = "万州工作站审核员", Password = "wanzhou-review-2026", WorkstationCode = Workstation,
        }, cancellationToken: _ct)).Person;

        // 2. Recognition: the workstation for 万州区, with the new reviewer on its queue.
        var workstations = new WorkstationService.WorkstationServiceClient(host.Channel.WithToken(adminToken));
        await workstations.CreateWorkstationAsync(new() { WorkstationCode = Workstation, Name = "万州工作站", DistrictCodes = { "500101" } }, cancellationToken: _ct);
        var staffed = (await workstations.AssignReviewerAsync(new() { WorkstationCode = Workstation, ReviewerSubject = reviewer.Subject }, cancellationToken: _ct)).Workstation;

        // 3. Conversion: the university's programme, and the rule by which the college's ME101 exempts its ME201.
        var collegeToken = await Tokens.ForClientAsync(host.Rest, college.Institution.ClientId, college.ClientSecret);
        var universityToken = await Tokens.ForClientAsync(host.Rest, university.Institution.ClientId, university.ClientSecret);
        var created = (await new ConversionService.ConversionServiceClient(host.Channel.WithToken(adminToken))
            .CreateProgrammeAsync(MechanicalEngineering(), cancellationToken: _ct)).Programme;
        var import = await new ConversionService.ConversionServiceClient(host.Channel.WithToken(universityToken)).ImportRulesAsync(new()
        {
            ProgrammeCode = Programme, Format = RuleFileFormat.Json,
            Content = $$"""[{ "ruleId": "R-{{Programme}}-ME", "programme": "{{Programme}}", "from": { "course": { "institution": "{{College}}", "code": "ME101" }, "minGrade": { "scheme": "PERCENTAGE", "value": "80" } }, "exempts": ["ME201"], "effectiveFrom": "2025-01-01" }]""",
        }, cancellationToken: _ct);

        // 4. A learner of 万州区 registers at the identity service's page and signs in (code + PKCE).
        var document = WanzhouResidentId();
        var registered = await People.RegisterAsync(host, "zhao-xiaodong", "xiaodong-2026", "赵晓东", document, _ct);
        var unverified = await Tokens.ForPersonAsync(host.Handler, "zhao-xiaodong", "xiaodong-2026", "openid accounts.read conversions.apply", redirectUri: SignInCallback);

        // 5. The college submits the learner's course; not a trusted issuer, it waits at the learner's workstation.
        var colleges = new RecognitionService.RecognitionServiceClient(host.Channel.WithToken(collegeToken));
        var course = Requests.Course(documentNumber: document, institution: College, credits: 4, grade: "90", courseCode: "ME101", title: "机械基础");
        course.Learner.Name = "赵晓东";
        var submitted = await Eventually.Until(async () =>
        {
            try
            {
                return await colleges.SubmitOutcomeAsync(course, cancellationToken: _ct);
            }
            catch (RpcException e) when (e.FieldViolations().Any(v => v.Reason == "UNKNOWN_INSTITUTION"))
            {
                return null; // recognition learns of the registration from identity's event
            }
        }, answer => answer is not null, what: "recognition's catalogue to know the new college");

        // The administrator chose the first password: the reviewer replaces it at the first sign-in.
        var reviewerToken = await Tokens.ForPersonAsync(host.Handler, "reviewer-wanzhou", "wanzhou-review-2026", redirectUri: SignInCallback,
            newPassword: "wanzhou-own-2026");
        var reviews = new ReviewService.ReviewServiceClient(host.Channel.WithToken(reviewerToken));
        var queue = await reviews.ListReviewTasksAsync(new() { WorkstationCode = Workstation }, cancellationToken: _ct);
        await reviews.ClaimReviewTaskAsync(new() { WorkstationCode = Workstation, OutcomeId = submitted!.OutcomeId }, cancellationToken: _ct);
        var recognised = (await reviews.RecogniseOutcomeAsync(new()
        {
            WorkstationCode = Workstation, OutcomeId = submitted.OutcomeId, UnitCode = "GEN-COURSE", Credits = 4, Comment = "成绩单经核验",
        }, cancellationToken: _ct)).Outcome;
        var decidedBy = (await reviews.ListDecidedReviewTasksAsync(new() { WorkstationCode = Workstation }, cancellationToken: _ct)).Tasks.Single().DecidedBy;

        // Signing in again binds the login to the learner's account: an institution has now vouched for the document.
        var learner = await Tokens.ForPersonAsync(host.Handler, "zhao-xiaodong", "xiaodong-2026", "openid accounts.read conversions.apply", redirectUri: SignInCallback);
        var accounts = new AccountsService.AccountsServiceClient(host.Channel.WithToken(learner));
        var claimed = await Eventually.Until(async () =>
        {
            try
            {
                return await accounts.ClaimAccountAsync(new() { DocumentType = Contracts.Accounts.V1.DocumentType.ResidentIdCard, DocumentNumber = document },
                    cancellationToken: _ct);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return null; // accounts opens it when it banks the outcome, from its own consumer
            }
        }, answer => answer is not null, what: "the learner's account to open");
        var account = await Eventually.Until(() => accounts.GetAccountAsync(new() { AccountId = "me" }, cancellationToken: _ct).ResponseAsync,
            a => a.LedgerEntryCount >= 1, what: "the reviewed course in the learner's ledger");
        var conversion = new ConversionService.ConversionServiceClient(host.Channel.WithToken(learner));
        var evaluation = await Eventually.Until(() => conversion.EvaluateConversionAsync(new() { ProgrammeCode = Programme }, cancellationToken: _ct).ResponseAsync,
            e => e.Exemptions.Count > 0, what: "the banked course in conversion's copy of the learner's outcomes");
        var applied = (await conversion.ApplyForConversionAsync(new() { RequestId = "onboarded-1", ProgrammeCode = Programme }, cancellationToken: _ct)).Application;
        var decided = (await new ConversionService.ConversionServiceClient(host.Channel.WithToken(universityToken)).DecideConversionAsync(new()
        {
            ApplicationId = applied.ApplicationId, Decisions = { new ItemDecisionInput { ItemNumber = 1, Accept = true } },
        }, cancellationToken: _ct)).Application;

        Assert.Contains("invalid_client", demoRefused.Message);
        Assert.Contains("redirect_uri", demoCallbackRefused.Message); // only the portal's own callbacks, not the demo's
        Assert.Equal(("institution-" + College, "institution-" + University), (college.Institution.ClientId, university.Institution.ClientId));
        Assert.Equal(("reviewer", Workstation), (reviewer.Role, reviewer.WorkstationCode));
        Assert.Equal([reviewer.Subject], staffed.ReviewerSubjects);
        Assert.Equal((University, 1), (created.InstitutionCode, created.Version));
        Assert.Empty(import.Problems);
        Assert.Equal(HttpStatusCode.Created, registered);
        Assert.Null(ClaimOf(unverified, BankClaims.DocumentHash));
        Assert.Equal((OutcomeStatus.PendingReview, "ISSUER_NOT_TRUSTED"), (submitted.Status, submitted.StatusReasonCode));
        Assert.Contains(queue.Tasks, t => t.Outcome.OutcomeId == submitted.OutcomeId);
        Assert.Equal((OutcomeStatus.Recognised, 4d), (recognised.Status, recognised.Credits));
        Assert.Equal("reviewer:" + reviewer.Subject, decidedBy);
        Assert.NotNull(ClaimOf(learner, BankClaims.DocumentHash));
        Assert.Equal((claimed!.Account.AccountId, 4d, 1L), (account.Account.AccountId, account.TotalCredits, account.LedgerEntryCount));
        var exemption = Assert.Single(evaluation.Exemptions);
        Assert.Equal(["ME201"], exemption.CourseCodes);
        Assert.Equal(4d, exemption.Credits);
        Assert.Equal(ApplicationStatus.Submitted, applied.Status);
        Assert.Equal((ApplicationStatus.Decided, 4d), (decided.Status, decided.AcceptedCredits));
        Assert.DoesNotContain(host.Log, line => line.Contains(document, StringComparison.Ordinal));
    }

    /// <summary>
    /// How production starts a bank without demo data (docs/operations.md, "First start of a bank without demo data"):
    /// the first administrator from <c>Identity:Bootstrap</c>, the portal's sign-in client from <c>Identity:PortalUrl</c>.
    /// </summary>
    public static Dictionary<string, string?> NewBank(string userName = "first-admin", string password = AdministratorPassword) => new()
    {
        ["Identity:SeedDemo"] = "false",
        ["Identity:PortalUrl"] = Portal,
        ["Identity:Bootstrap:AdministratorUserName"] = userName,
        ["Identity:Bootstrap:AdministratorPassword"] = password,
        ["Identity:Bootstrap:AdministratorDisplayName"] = "首位管理员",
    };

    /// <summary>机械工程 at the new university: ME201 机械基础 is what the college's ME101 converts into.</summary>
    private static CreateProgrammeRequest MechanicalEngineering() => new()
    {
        ProgrammeCode = Programme,
        InstitutionCode = University,
        Name = "机械工程（本科）",
        Caps = new ProgrammeCaps { MaxTotalCredits = 15 },
        Courses =
        {
            new ConversionCourse { Code = "EN101", Title = "大学英语", Credits = 10, Category = "PUBLIC" },
            new ConversionCourse { Code = "ME201", Title = "机械基础", Credits = 4, Category = "CORE" },
            new ConversionCourse { Code = "ME301", Title = "机械设计实践", Credits = 10, Category = "SPECIALISED" },
            new ConversionCourse { Code = "REST", Title = "其余课程（合计）", Credits = 76, Category = "CORE" },
        },
    };

    /// <summary>A 居民身份证 of 万州区 (500101), valid check character included.</summary>
    private static string WanzhouResidentId()
    {
        const string first17 = "50010119980101731";
        return first17 + IdentityDocument.CheckCharacter(first17);
    }

    private static string? ClaimOf(string accessToken, string claim)
    {
        using var json = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(accessToken.Split('.')[1]));
        return json.RootElement.TryGetProperty(claim, out var value) ? value.GetString() : null;
    }
}
