using System.Text.Json.Nodes;
using CreditBank.Contracts.Credentials.V1;

namespace CreditBank.Credentials.Tests;

/// <summary>
/// Rotating the signing key: the new key signs from then on, the retired one stays in the JWK Set, and what it signed
/// still verifies — in the bank and in the independent checker. Two hosts in turn on one data folder, as a restart with
/// new configuration would be.
/// </summary>
public sealed class KeyRotation
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_credential_signed_before_a_rotation_still_verifies_after_it_and_only_while_its_key_is_published()
    {
        var folder = Directory.CreateTempSubdirectory("creditbank-rotation-").FullName;
        var (oldKey, oldPublic) = BankOnAFolder.NewKey();
        var (newKey, _) = BankOnAFolder.NewKey();
        var document = Requests.ResidentId(431);
        string token, before, beforeId;

        await using (var first = await BankOnAFolder.StartAsync(folder, oldKey, []))
        {
            token = await first.LearnerAsync(document);
            var outcome = await first.BankedAsync(Requests.Course(documentNumber: document), _ct);
            var issued = (await first.As(token).IssueOutcomeCredentialAsync(new() { OutcomeId = outcome }, cancellationToken: _ct)).Credential;
            (before, beforeId) = (issued.Jwt, issued.CredentialId);
        }

        await using (var rotated = await BankOnAFolder.StartAsync(folder, newKey, [oldPublic]))
        {
            var jwks = JsonNode.Parse(await rotated.TextAsync("http://localhost/.well-known/jwks.json", _ct))!["keys"]!.AsArray();
            var byId = await rotated.Anyone.VerifyCredentialAsync(new() { CredentialId = beforeId }, cancellationToken: _ct);
            var checker = await Checker.CheckAsync(rotated, before, _ct);
            var outcome = await rotated.BankedAsync(Requests.Course(documentNumber: document), _ct);
            var after = (await rotated.As(token).IssueOutcomeCredentialAsync(new() { OutcomeId = outcome }, cancellationToken: _ct)).Credential.Jwt;
            var afterChecked = await Checker.CheckAsync(rotated, after, _ct);

            Assert.Equal(2, jwks.Count);
            Assert.All(jwks, k => Assert.Equal("http://localhost/credentials/issuer", k!["iss"]!.GetValue<string>()));
            Assert.All(jwks, k => Assert.Null(k!["d"]));
            Assert.Equal(VerificationStatus.Verified, byId.Status);
            Assert.True(checker.Status == "verified", checker.Output);
            Assert.True(afterChecked.Status == "verified", afterChecked.Output);
            Assert.NotEqual(Kid(before), Kid(after));
            Assert.Equal(jwks[0]!["kid"]!.GetValue<string>(), Kid(after));
        }

        await using (var forgetful = await BankOnAFolder.StartAsync(folder, newKey, []))
        {
            var verdict = await forgetful.Anyone.VerifyCredentialAsync(new() { Jwt = before }, cancellationToken: _ct);
            var checker = await Checker.CheckAsync(forgetful, before, _ct);

            Assert.Equal("UNKNOWN_KEY", Assert.Single(verdict.Reasons).Code);
            Assert.Equal(["UNKNOWN_KEY"], checker.Reasons);
        }
    }

    private static string Kid(string jwt) =>
        System.Text.Json.JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[0])).RootElement.GetProperty("kid").GetString()!;
}
