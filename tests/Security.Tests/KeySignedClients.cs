using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using CreditBank.Contracts.Identity.V1;
using CreditBank.TestSupport;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;
using RecognitionV1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Security.Tests;

/// <summary>
/// An institution that keeps its own keys signs its token requests (private_key_jwt, RFC 7523) instead of sending a
/// secret: the bank holds only the public keys.
/// </summary>
public sealed class KeySignedClients(AdministeredBank bank) : IClassFixture<AdministeredBank>
{
    /// <summary>In recognition's seeded catalogue (重庆工业职业技术学院) without a demo client: the test registers it.</summary>
    private const string College = "4150012756";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_client_assertion_signed_with_a_key_the_bank_holds_gets_a_token_and_others_do_not()
    {
        var admin = await bank.AdminAsync();
        var registered = await admin.RegisterInstitutionAsync(new()
        {
            Code = College, Name = "重庆工业职业技术学院", Kind = "高职专科", Region = "渝", TrustLevel = TrustLevel.Trusted,
        }, cancellationToken: _ct);
        var clientId = registered.Institution.ClientId;
        using var kept = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var set = await admin.SetClientKeysAsync(new() { Code = College, Jwks = PublicSet(kept, "2026-12") }, cancellationToken: _ct);

        var (status, token) = await TokenWithAssertion(clientId, kept, "2026-12");
        Assert.Equal(HttpStatusCode.OK, status);
        var submitted = await new RecognitionV1.RecognitionService.RecognitionServiceClient(bank.Host.Channel.WithToken(token))
            .SubmitOutcomeAsync(Requests.Course(documentNumber: Requests.ResidentId(941), institution: College), cancellationToken: _ct);
        Assert.NotEmpty(submitted.OutcomeId);
        Assert.Single(set.KeyThumbprints);
        Assert.Equal("invalid_client", Error(await TokenWithAssertion(clientId, stranger, "2026-12")));
        Assert.NotEmpty(await Tokens.ForClientAsync(bank.Host.Rest, clientId, registered.ClientSecret));

        // Keys removed: the assertion no longer works; and a disabled client's assertions fail like its secret.
        await (await bank.AdminAsync()).SetClientKeysAsync(new() { Code = College, Jwks = "" }, cancellationToken: _ct);
        Assert.Equal("invalid_client", Error(await TokenWithAssertion(clientId, kept, "2026-12")));
        await (await bank.AdminAsync()).SetClientKeysAsync(new() { Code = College, Jwks = PublicSet(kept, "2026-12") }, cancellationToken: _ct);
        await (await bank.AdminAsync()).DisableClientAsync(new() { Code = College }, cancellationToken: _ct);
        Assert.Equal("invalid_client", Error(await TokenWithAssertion(clientId, kept, "2026-12")));

        var audit = await (await bank.AuditAsync()).ListAuditEntriesAsync(new() { Service = "identity", Target = $"institution:{College}" }, cancellationToken: _ct);
        Assert.Equal(3, audit.Entries.Count(e => e.Action == "SetClientKeys"));
    }

    [Fact]
    public async Task A_key_set_with_a_private_key_a_weak_key_or_no_keys_is_refused()
    {
        var admin = await bank.AdminAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var withPrivate = JsonSerializer.Serialize(new { keys = new[] { JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(key)) } });
        using var weak = RSA.Create(1024);
        var weakSet = JsonSerializer.Serialize(new { keys = new[] { Public(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(weak.ExportParameters(false)))) } });

        foreach (var jwks in new[] { withPrivate, weakSet, """{"keys":[]}""", "not json" })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => admin.SetClientKeysAsync(new() { Code = "4150013943", Jwks = jwks }, cancellationToken: _ct).ResponseAsync);
            Assert.Equal((StatusCode.InvalidArgument, "jwks", "INVALID_JWKS"),
                (refused.StatusCode, refused.FieldViolations().Single().Field, refused.FieldViolations().Single().Reason));
        }
    }

    /// <summary>The OAuth error of a refused token request (RFC 6749 §5.2).</summary>
    private static string? Error((HttpStatusCode Status, string Body) answer) =>
        answer.Status == HttpStatusCode.OK ? null : JsonDocument.Parse(answer.Body).RootElement.GetProperty("error").GetString();

    private static string PublicSet(ECDsa key, string kid)
    {
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(key.ExportParameters(false))) { KeyId = kid });
        return JsonSerializer.Serialize(new { keys = new[] { Public(jwk) } });
    }

    private static Dictionary<string, string> Public(JsonWebKey jwk) => new[]
        {
            ("kty", jwk.Kty), ("crv", jwk.Crv), ("x", jwk.X), ("y", jwk.Y), ("n", jwk.N), ("e", jwk.E), ("kid", jwk.Kid),
        }
        .Where(p => p.Item2 is not null).ToDictionary(p => p.Item1, p => p.Item2!);

    /// <summary>client_credentials with an assertion signed ES256 (iss = sub = client id, aud = the issuer, short-lived, unique jti).</summary>
    private async Task<(HttpStatusCode Status, string Token)> TokenWithAssertion(string clientId, ECDsa key, string kid)
    {
        using var discovery = JsonDocument.Parse(await bank.Host.Rest.GetStringAsync("/.well-known/openid-configuration", _ct));
        var issuer = discovery.RootElement.GetProperty("issuer").GetString()!;
        var assertion = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = issuer,
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString() },
            Expires = DateTime.UtcNow.AddMinutes(2),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256),
            TokenType = "client-authentication+jwt",
        });
        using var response = await bank.Host.Rest.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        }), _ct);
        var body = await response.Content.ReadAsStringAsync(_ct);
        return (response.StatusCode, response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()! : body);
    }
}
