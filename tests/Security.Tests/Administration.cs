using System.Net;
using System.Text.RegularExpressions;
using CreditBank.Contracts.Identity.V1;
using CreditBank.Contracts.Operations.V1;
using CreditBank.Identity;
using CreditBank.Recognition;
using CreditBank.TestSupport;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Xunit;
using RecognitionV1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Security.Tests;

/// <summary>
/// Identity and recognition in one host whose access tokens live <see cref="TokenLifetime"/>, so that a disabled
/// client's tokens are seen to stop within the documented window (the token's lifetime).
/// </summary>
public sealed class AdministeredBank : IAsyncLifetime
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(8);

    public ServiceHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Host = await ServiceHost.StartAsync(b => b.AddIdentityProvider().AddRecognition(), a => a.MapIdentityProvider().MapRecognition(),
            new Dictionary<string, string?> { ["Identity:AccessTokenLifetime"] = TokenLifetime.ToString() });

    /// <summary>The administrator, with a token fresh enough for the next few calls (it lives <see cref="TokenLifetime"/>).</summary>
    public async Task<AdministrationService.AdministrationServiceClient> AdminAsync() =>
        new(Host.Channel.WithToken(await Tokens.ForPersonAsync(Host.Handler, "admin", "demo-admin")));

    public async Task<AuditService.AuditServiceClient> AuditAsync() =>
        new(Host.Channel.WithToken(await Tokens.ForPersonAsync(Host.Handler, "admin", "demo-admin")));

    public ValueTask DisposeAsync() => Host?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>Onboarding institutions and people through the administration contract, with real tokens.</summary>
public sealed partial class Administration(AdministeredBank bank) : IClassFixture<AdministeredBank>
{
    /// <summary>In recognition's seeded catalogue (重庆工业职业技术学院) but without a demo client: onboarding gives it one.</summary>
    private const string CatalogueCollege = "4150012756";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_registered_institutions_secret_gets_a_token_with_the_institution_scopes_and_submits_an_outcome()
    {
        var admin = await bank.AdminAsync();

        var registered = await admin.RegisterInstitutionAsync(new()
        {
            Code = CatalogueCollege, Name = "重庆工业职业技术学院", Kind = "高职专科", Region = "渝", TrustLevel = TrustLevel.Trusted,
        }, cancellationToken: _ct);
        var token = await Tokens.ForClientAsync(bank.Host.Rest, registered.Institution.ClientId, registered.ClientSecret);
        var answer = await new RecognitionV1.RecognitionService.RecognitionServiceClient(bank.Host.Channel.WithToken(token))
            .SubmitOutcomeAsync(Requests.Course(documentNumber: Requests.ResidentId(901), institution: CatalogueCollege), cancellationToken: _ct);

        Assert.Equal("institution-" + CatalogueCollege, registered.Institution.ClientId);
        Assert.Equal(RecognitionV1.OutcomeStatus.Recognised, answer.Status);
        admin = await bank.AdminAsync();
        var read = await admin.GetInstitutionAsync(new() { Code = CatalogueCollege }, cancellationToken: _ct);
        Assert.Equal(("重庆工业职业技术学院", TrustLevel.Trusted), (read.Institution.Name, read.Institution.TrustLevel));
        var again = await Assert.ThrowsAsync<RpcException>(() => admin.RegisterInstitutionAsync(new()
        {
            Code = CatalogueCollege, Name = "重庆工业职业技术学院", Kind = "高职专科", Region = "渝", TrustLevel = TrustLevel.Trusted,
        }, cancellationToken: _ct).ResponseAsync);
        Assert.Equal((StatusCode.AlreadyExists, "INSTITUTION_ALREADY_REGISTERED"), (again.StatusCode, again.ErrorInfo()?.Reason));
    }

    [Fact]
    public async Task An_institution_code_with_a_wrong_check_character_is_refused_field_by_field()
    {
        var admin = await bank.AdminAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(() => admin.RegisterInstitutionAsync(new()
        {
            Code = "91110108MA01R3XK5V", Name = "某机构", Kind = "大学", Region = "渝", TrustLevel = TrustLevel.Untrusted,
        }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(["code", "kind"], refused.FieldViolations().Select(v => v.Field).Order());
    }

    [Fact]
    public async Task A_rotated_secret_works_at_once_and_the_old_one_stops_after_the_grace_period()
    {
        var admin = await bank.AdminAsync();
        var registered = await Register(admin, "4150099101");
        var clientId = registered.Institution.ClientId;

        var rotated = await (await bank.AdminAsync()).RotateClientSecretAsync(new() { Code = "4150099101", GracePeriod = Duration.FromTimeSpan(TimeSpan.FromSeconds(3)) },
            cancellationToken: _ct);
        await Tokens.ForClientAsync(bank.Host.Rest, clientId, rotated.ClientSecret);
        await Tokens.ForClientAsync(bank.Host.Rest, clientId, registered.ClientSecret);
        Assert.NotNull(rotated.Institution.PreviousSecretExpireTime);

        await Eventually.Until(() => TokenStatus(clientId, registered.ClientSecret), status => status == HttpStatusCode.BadRequest,
            TimeSpan.FromSeconds(15), "the old secret to stop working");
        await Tokens.ForClientAsync(bank.Host.Rest, clientId, rotated.ClientSecret);
    }

    [Fact]
    public async Task A_disabled_client_gets_no_token_and_its_tokens_fail_unauthenticated_within_the_token_lifetime()
    {
        var admin = await bank.AdminAsync();
        var registered = await Register(admin, "4150099102");
        var clientId = registered.Institution.ClientId;
        var token = await Tokens.ForClientAsync(bank.Host.Rest, clientId, registered.ClientSecret);
        var recognition = new RecognitionV1.RecognitionService.RecognitionServiceClient(bank.Host.Channel.WithToken(token));
        var before = await Assert.ThrowsAsync<RpcException>(() => recognition.GetOutcomeAsync(new() { OutcomeId = Guid.NewGuid().ToString() },
            cancellationToken: _ct).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, before.StatusCode);

        var disabled = await (await bank.AdminAsync()).DisableClientAsync(new() { Code = "4150099102" }, cancellationToken: _ct);
        var started = DateTimeOffset.UtcNow;

        Assert.NotNull(disabled.Institution.DisabledTime);
        Assert.Equal(HttpStatusCode.BadRequest, await TokenStatus(clientId, registered.ClientSecret));
        var refused = await Eventually.Until(async () =>
        {
            try
            {
                await recognition.GetOutcomeAsync(new() { OutcomeId = Guid.NewGuid().ToString() }, cancellationToken: _ct);
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        }, code => code == StatusCode.Unauthenticated, AdministeredBank.TokenLifetime + TimeSpan.FromSeconds(10), "the disabled client's token to stop");
        Assert.Equal(StatusCode.Unauthenticated, refused);
        Assert.True(DateTimeOffset.UtcNow - started <= AdministeredBank.TokenLifetime + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_a_reviewer_out_until_an_administrator_resets_the_password()
    {
        var admin = await bank.AdminAsync();
        await admin.CreateReviewerAsync(new()
        {
            UserName = "reviewer-locked", DisplayName = "被锁定的审核员", Password = "first-pass-2026", WorkstationCode = "WS-LIANGPING",
        }, cancellationToken: _ct);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInStatus("reviewer-locked", "wrong-pass-2026"));
        }

        Assert.Equal(HttpStatusCode.Locked, await SignInStatus("reviewer-locked", "first-pass-2026"));
        var reset = await (await bank.AdminAsync()).ResetPasswordAsync(new() { UserName = "reviewer-locked" }, cancellationToken: _ct);
        var token = await Tokens.ForPersonAsync(bank.Host.Handler, "reviewer-locked", reset.TemporaryPassword, newPassword: "locked-own-2026");
        Assert.NotEmpty(token);
        Assert.True(reset.TemporaryPassword.Length >= 10);
        var audit = await (await bank.AuditAsync()).ListAuditEntriesAsync(new() { Service = "identity", Target = "person:reviewer-locked" }, cancellationToken: _ct);
        Assert.Equal(["ChangePassword", "ResetPassword", "CreateReviewer"], audit.Entries.Select(e => e.Action));
        Assert.DoesNotContain(audit.Entries, e => e.AfterJson.Contains(reset.TemporaryPassword, StringComparison.Ordinal)
            || e.AfterJson.Contains("locked-own-2026", StringComparison.Ordinal) || e.AfterJson.Contains("passwordHash", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_password_an_administrator_set_signs_no_one_in_until_the_person_chooses_their_own()
    {
        var admin = await bank.AdminAsync();
        await admin.CreateReviewerAsync(new()
        {
            UserName = "reviewer-new", DisplayName = "新审核员", Password = "given-pass-2026", WorkstationCode = "WS-LIANGPING",
        }, cancellationToken: _ct);

        // The right password alone asks for a new one and signs no one in; the same one again, or a weak one, is refused.
        var (asked, page) = await SignIn("reviewer-new", "given-pass-2026");
        Assert.Equal(HttpStatusCode.OK, asked);
        Assert.Contains("name=\"NewPassword\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await SignIn("reviewer-new", "given-pass-2026", "given-pass-2026")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SignIn("reviewer-new", "given-pass-2026", "short1")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignIn("reviewer-new", "wrong-pass-2026", "chosen-pass-2026")).Status);

        Assert.Equal(HttpStatusCode.Redirect, (await SignIn("reviewer-new", "given-pass-2026", "chosen-pass-2026")).Status);

        // From then on only the person's own password works, without being asked again.
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInStatus("reviewer-new", "given-pass-2026"));
        Assert.Equal(HttpStatusCode.Redirect, await SignInStatus("reviewer-new", "chosen-pass-2026"));
        Assert.NotEmpty(await Tokens.ForPersonAsync(bank.Host.Handler, "reviewer-new", "chosen-pass-2026", "openid outcomes.review"));

        // A reset by an administrator asks for a new one again.
        var reset = await (await bank.AdminAsync()).ResetPasswordAsync(new() { UserName = "reviewer-new" }, cancellationToken: _ct);
        Assert.Equal(HttpStatusCode.OK, (await SignIn("reviewer-new", reset.TemporaryPassword)).Status);
    }

    [Fact]
    public async Task An_administrator_who_sets_their_own_password_is_not_asked_to_change_it()
    {
        await (await bank.AdminAsync()).CreateAdministratorAsync(new() { UserName = "admin-self", DisplayName = "自助管理员", Password = "given-admin-2026" },
            cancellationToken: _ct);
        var own = new AdministrationService.AdministrationServiceClient(bank.Host.Channel.WithToken(
            await Tokens.ForPersonAsync(bank.Host.Handler, "admin-self", "given-admin-2026", "openid admin", newPassword: "chosen-admin-2026")));

        await own.ResetPasswordAsync(new() { UserName = "admin-self", NewPassword = "again-admin-2026" }, cancellationToken: _ct);

        Assert.Equal(HttpStatusCode.Redirect, await SignInStatus("admin-self", "again-admin-2026"));
    }

    [Fact]
    public async Task A_password_without_digits_or_shorter_than_ten_is_refused()
    {
        var admin = await bank.AdminAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(() => admin.CreateAdministratorAsync(new()
        {
            UserName = "admin-weak", DisplayName = "管理员", Password = "onlyletters",
        }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "WEAK_PASSWORD"), (refused.StatusCode, refused.ErrorInfo()?.Reason));
    }

    [Fact]
    public async Task Revoking_a_persons_sessions_makes_their_refresh_token_fail()
    {
        var admin = await bank.AdminAsync();
        await admin.CreateAdministratorAsync(new() { UserName = "admin-two", DisplayName = "第二管理员", Password = "second-admin-1" }, cancellationToken: _ct);
        var first = await RefreshTokenOf("admin-two", "second-admin-1", newPassword: "admin-two-own-1");
        var second = await RefreshTokenOf("admin-two", "admin-two-own-1");
        var (renewed, _) = await Refresh(first);
        Assert.Equal(HttpStatusCode.OK, renewed);

        var revoked = await (await bank.AdminAsync()).RevokeSessionsAsync(new() { UserName = "admin-two" }, cancellationToken: _ct);

        Assert.True(revoked.RevokedCount > 0);
        Assert.Equal(HttpStatusCode.BadRequest, (await Refresh(second)).Status);
    }

    [Fact]
    public async Task A_learner_who_registers_is_bound_to_their_account_once_an_institutions_submission_verifies_them()
    {
        var document = Requests.ResidentId(911);
        var college = new RecognitionV1.RecognitionService.RecognitionServiceClient(bank.Host.Channel.WithToken(
            await Tokens.ForClientAsync(bank.Host.Rest, "college-4150012608", "demo-college-secret")));

        Assert.Equal(HttpStatusCode.Created, await Register("learner-911", document, "张三"));
        Assert.Empty(await OutcomesOf("learner-911", "learner-pass-911", document));
        await college.SubmitOutcomeAsync(Requests.Course(documentNumber: document), cancellationToken: _ct);

        Assert.Single(await OutcomesOf("learner-911", "learner-pass-911", document));
        Assert.Equal(HttpStatusCode.Conflict, await Register("learner-911-again", document, "张三"));
        Assert.DoesNotContain(bank.Host.Log, line => line.Contains(document, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_administrative_change_is_listed_in_the_audit_newest_first()
    {
        var admin = await bank.AdminAsync();
        await Register(admin, "4150099103");
        await admin.ChangeTrustLevelAsync(new() { Code = "4150099103", TrustLevel = TrustLevel.Trusted }, cancellationToken: _ct);
        await admin.RotateClientSecretAsync(new() { Code = "4150099103" }, cancellationToken: _ct);
        await (await bank.AdminAsync()).DisableClientAsync(new() { Code = "4150099103" }, cancellationToken: _ct);

        var audit = await (await bank.AuditAsync()).ListAuditEntriesAsync(new() { Service = "identity", Target = "institution:4150099103", PageSize = 3 }, cancellationToken: _ct);
        var rest = await (await bank.AuditAsync()).ListAuditEntriesAsync(new()
        {
            Service = "identity", Target = "institution:4150099103", PageSize = 3, PageToken = audit.NextPageToken,
        }, cancellationToken: _ct);

        Assert.Equal(["DisableClient", "RotateClientSecret", "ChangeTrustLevel", "RegisterInstitution"],
            audit.Entries.Concat(rest.Entries).Select(e => e.Action));
        Assert.All(audit.Entries, e => Assert.StartsWith("admin:", e.Actor));
        Assert.Contains("\"isTrustedIssuer\":false", audit.Entries[2].BeforeJson);
        Assert.Contains("\"isTrustedIssuer\":true", audit.Entries[2].AfterJson);
        Assert.Empty(rest.NextPageToken);
    }

    private Task<RegisterInstitutionResponse> Register(AdministrationService.AdministrationServiceClient admin, string code) =>
        admin.RegisterInstitutionAsync(new() { Code = code, Name = $"测试学校 {code}", Kind = "中职", Region = "川", TrustLevel = TrustLevel.Untrusted },
            cancellationToken: _ct).ResponseAsync;

    /// <summary>The token endpoint's answer: 200, or 400/401 <c>invalid_client</c>.</summary>
    private async Task<HttpStatusCode> TokenStatus(string clientId, string secret)
    {
        using var response = await bank.Host.Rest.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }), _ct);
        return response.IsSuccessStatusCode ? HttpStatusCode.OK : HttpStatusCode.BadRequest;
    }

    private async Task<string> RefreshTokenOf(string userName, string password, string? newPassword = null) =>
        System.Text.Json.JsonDocument.Parse(await Tokens.TokenResponseForPersonAsync(bank.Host.Handler, userName, password, "openid offline_access admin",
                newPassword: newPassword))
            .RootElement.GetProperty("refresh_token").GetString()!;

    private async Task<(HttpStatusCode Status, string Body)> Refresh(string refreshToken)
    {
        using var response = await bank.Host.Rest.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = Tokens.PortalClientId, ["refresh_token"] = refreshToken,
        }), _ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(_ct));
    }

    /// <summary>Posts the sign-in form as a browser does (antiforgery cookie and field from the page).</summary>
    private async Task<HttpStatusCode> SignInStatus(string userName, string password) => (await SignIn(userName, password)).Status;

    private async Task<(HttpStatusCode Status, string Page)> SignIn(string userName, string password, string? newPassword = null)
    {
        var fields = new Dictionary<string, string> { ["UserName"] = userName, ["Password"] = password, ["ReturnUrl"] = "" };
        if (newPassword is not null)
        {
            fields["NewPassword"] = newPassword;
        }

        return await PostFormForPage("/account/login", fields);
    }

    private async Task<HttpStatusCode> Register(string userName, string document, string name) =>
        await PostForm("/account/register", new()
        {
            ["DocumentType"] = "1", ["DocumentNumber"] = document, ["Name"] = name, ["UserName"] = userName,
            ["Password"] = userName.Replace("learner-", "learner-pass-").Replace("-again", string.Empty), ["Contact"] = "13800000000",
        });

    private async Task<HttpStatusCode> PostForm(string path, Dictionary<string, string> fields) => (await PostFormForPage(path, fields)).Status;

    private async Task<(HttpStatusCode Status, string Page)> PostFormForPage(string path, Dictionary<string, string> fields)
    {
        using var client = new HttpClient(bank.Host.Handler, disposeHandler: false) { BaseAddress = new Uri("http://localhost") };
        using var page = await client.GetAsync(path, _ct);
        var html = await page.Content.ReadAsStringAsync(_ct);
        var field = AntiforgeryField().Match(html);
        fields[field.Groups[1].Value] = WebUtility.HtmlDecode(field.Groups[2].Value);
        using var post = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add("Cookie", string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        using var response = await client.SendAsync(post, _ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(_ct));
    }

    private async Task<IReadOnlyList<RecognitionV1.Outcome>> OutcomesOf(string userName, string password, string document)
    {
        var token = await Tokens.ForPersonAsync(bank.Host.Handler, userName, password, "openid accounts.read");
        var listed = await new RecognitionV1.RecognitionService.RecognitionServiceClient(bank.Host.Channel.WithToken(token)).ListLearnerOutcomesAsync(new()
        {
            DocumentType = RecognitionV1.DocumentType.ResidentIdCard, DocumentNumber = document,
        }, cancellationToken: _ct);
        return listed.Outcomes;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
