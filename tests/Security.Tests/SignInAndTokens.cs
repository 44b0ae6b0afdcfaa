using System.Net;
using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Recognition.V1;
using DocumentType = CreditBank.Contracts.Accounts.V1.DocumentType;
using Duende.IdentityModel.Client;
using Grpc.Core;

namespace CreditBank.Security.Tests;

public sealed class SignInAndTokens(EveryCallerBankHost bank) : IClassFixture<EveryCallerBankHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_standard_oidc_client_discovers_the_server_and_gets_a_client_credentials_token_that_works()
    {
        var discovery = await bank.Host.Rest.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
        {
            Address = "http://localhost",
            Policy = { RequireHttps = false },
        }, _ct);
        Assert.False(discovery.IsError, discovery.Error);
        Assert.NotEmpty(discovery.KeySet!.Keys);

        var token = await bank.Host.Rest.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = "college-4150012608",
            ClientSecret = "demo-college-secret",
            Scope = "outcomes.submit",
        }, _ct);
        Assert.False(token.IsError, token.Error);

        var client = new RecognitionService.RecognitionServiceClient(bank.Host.Channel.WithToken(token.AccessToken));
        var answer = await client.SubmitOutcomeAsync(Requests.Course(documentNumber: Requests.ResidentId(701)), cancellationToken: _ct);
        Assert.Equal(OutcomeStatus.Recognised, answer.Status);
    }

    [Fact]
    public async Task An_institution_can_introspect_a_token_and_sees_who_it_names()
    {
        var introspection = await bank.Host.Rest.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = "http://localhost/connect/introspect",
            ClientId = "college-4150012608",
            ClientSecret = "demo-college-secret",
            Token = bank.TokenOf["inst-x"]!,
        }, _ct);

        Assert.False(introspection.IsError, introspection.Error);
        Assert.True(introspection.IsActive);
        Assert.Contains(introspection.Claims, c => c.Type == "sub" && c.Value == "college-4150012608");
    }

    [Fact]
    public async Task A_client_cannot_introspect_another_clients_token()
    {
        var introspection = await bank.Host.Rest.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = "http://localhost/connect/introspect",
            ClientId = "university-4150010611",
            ClientSecret = "demo-university-secret",
            Token = bank.TokenOf["inst-x"]!,
        }, _ct);

        Assert.False(introspection.IsActive);
        Assert.DoesNotContain(introspection.Claims, c => c.Type == "sub" && c.Value == "college-4150012608");
    }

    [Fact]
    public async Task Discovery_advertises_only_s256_and_authorize_refuses_a_plain_pkce_challenge()
    {
        var discovery = await bank.Host.Rest.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest { Address = "http://localhost", Policy = { RequireHttps = false } }, _ct);
        var methods = discovery.TryGetStringArray("code_challenge_methods_supported").ToList();

        using var plain = await bank.Host.Rest.GetAsync(
            $"/connect/authorize?client_id=portal&response_type=code&redirect_uri={Uri.EscapeDataString(Tokens.PortalRedirectUri)}&scope=openid" +
            "&code_challenge=plain-verifier-that-is-long-enough-0123456789abcdef&code_challenge_method=plain&state=s", _ct);
        var answer = plain.Headers.Location?.ToString() ?? await plain.Content.ReadAsStringAsync(_ct);

        Assert.Equal(["S256"], methods);
        Assert.Contains("invalid_request", answer, StringComparison.Ordinal);
        Assert.Contains("code_challenge_method", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("code=", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_client_secret_gets_no_token()
    {
        var token = await bank.Host.Rest.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = "http://localhost/connect/token",
            ClientId = "college-4150012608",
            ClientSecret = "guess",
        }, _ct);

        Assert.True(token.IsError);
        Assert.Equal(HttpStatusCode.Unauthorized, token.HttpStatusCode);
        Assert.Contains("invalid_client", token.Raw);
    }

    [Fact]
    public async Task A_client_cannot_get_a_scope_it_does_not_hold()
    {
        var token = await bank.Host.Rest.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = "http://localhost/connect/token",
            ClientId = "partner-sichuan",
            ClientSecret = "demo-partner-secret",
            Scope = "accounts.read",
        }, _ct);

        Assert.True(token.IsError);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_on_the_sign_in_page()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Tokens.ForPersonAsync(bank.Host.Handler, "zhangsan", "wrong"));

        Assert.Contains("401", refused.Message);
    }

    [Fact]
    public async Task A_learner_sees_the_status_of_their_own_outcome()
    {
        var outcome = await bank.Recognition("learner-a").GetOutcomeAsync(new() { OutcomeId = bank.OutcomeOfA }, cancellationToken: _ct);

        Assert.Equal(OutcomeStatus.Recognised, outcome.Outcome.Status);
    }

    [Fact]
    public async Task A_learner_reads_their_claimed_account_as_me_and_the_ledger_records_who_acted()
    {
        var mine = await bank.Accounts("learner-a").GetAccountAsync(new() { AccountId = "me" }, cancellationToken: _ct);
        var ledger = await bank.Accounts("learner-a").ListLedgerEntriesAsync(new() { AccountId = "me" }, cancellationToken: _ct);

        Assert.Equal(bank.AccountOfA, mine.Account.AccountId);
        Assert.True(mine.Account.Claimed);
        Assert.Equal("institution:" + Requests.TrustedCollege, ledger.Entries[0].Actor);
    }

    [Fact]
    public async Task A_learner_cannot_claim_someone_elses_account_and_an_account_is_claimed_once()
    {
        var notTheirs = await Assert.ThrowsAsync<RpcException>(() => bank.Accounts("learner-b").ClaimAccountAsync(
            new() { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = EveryCallerBankHost.LearnerADocument }, cancellationToken: _ct).ResponseAsync);
        var twice = await Assert.ThrowsAsync<RpcException>(() => bank.Accounts("learner-a").ClaimAccountAsync(
            new() { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = EveryCallerBankHost.LearnerADocument }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal("NOT_YOUR_DOCUMENT", notTheirs.ErrorInfo()?.Reason);
        Assert.Equal(StatusCode.AlreadyExists, twice.StatusCode);
        Assert.Equal("ACCOUNT_ALREADY_CLAIMED", twice.ErrorInfo()?.Reason);
    }

    [Fact]
    public async Task Rest_routes_need_a_token_too_and_accounts_me_works_over_rest()
    {
        var anonymous = await bank.Host.Rest.GetAsync("/v1/accounts/me", _ct);
        var asLearner = await bank.Host.Rest.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/accounts/me").WithToken(bank.TokenOf["learner-a"]!), _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asLearner.StatusCode);
        Assert.Contains(bank.AccountOfA, await asLearner.Content.ReadAsStringAsync(_ct));
    }

    [Fact]
    public async Task A_refresh_token_gets_a_new_access_token_until_it_is_revoked()
    {
        var first = await RefreshableTokenAsync();
        var refreshed = await bank.Host.Rest.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = "http://localhost/connect/token", ClientId = Tokens.PortalClientId, RefreshToken = first.RefreshToken!,
        }, _ct);
        Assert.False(refreshed.IsError, refreshed.Error);

        var revoked = await bank.Host.Rest.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = "http://localhost/connect/revoke", ClientId = Tokens.PortalClientId, Token = refreshed.RefreshToken!, TokenTypeHint = "refresh_token",
        }, _ct);
        Assert.False(revoked.IsError, revoked.Error);
        var afterRevocation = await bank.Host.Rest.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = "http://localhost/connect/token", ClientId = Tokens.PortalClientId, RefreshToken = refreshed.RefreshToken!,
        }, _ct);
        Assert.True(afterRevocation.IsError);
    }

    private async Task<TokenResponse> RefreshableTokenAsync()
    {
        // The same browser dance as Tokens.ForPersonAsync, but keeping the whole token response.
        var json = await Tokens.TokenResponseForPersonAsync(bank.Host.Handler, "wangwu", "demo-learner-3", "openid offline_access accounts.read");
        return await ProtocolResponse.FromHttpResponseAsync<TokenResponse>(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        });
    }
}
