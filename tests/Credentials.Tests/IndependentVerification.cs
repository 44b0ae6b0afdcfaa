using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using CreditBank.Contracts.Credentials.V1;
using Grpc.Core;

namespace CreditBank.Credentials.Tests;

/// <summary>
/// The bank's credentials checked by the independent checker (Node, jose and @digitalbazaar/vc-bitstring-status-list)
/// with networking off, and by the bank's own public verification: issued, revoked, tampered with.
/// </summary>
public sealed class IndependentVerification(CredentialsBank bank) : IClassFixture<CredentialsBank>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_transcript_and_each_embedded_credential_verify_in_the_independent_checker_with_networking_off()
    {
        var learner = await LearnerAsync();
        var course = await bank.BankedAsync(Requests.Course(documentNumber: learner.Document, courseCode: "CS201", grade: "91"), _ct);
        var certificate = await bank.BankedAsync(Requests.Certificate(documentNumber: learner.Document), _ct);

        var transcript = (await learner.Client.IssueTranscriptAsync(new(), cancellationToken: _ct)).Credential;
        var verdict = await Checker.CheckAsync(bank, transcript.Jwt, _ct);
        var embedded = CredentialsBank.Payload(transcript.Jwt)["credentialSubject"]!["verifiableCredential"]!.AsArray()
            .Select(c => c!["proof"]![0]!["jwt"]!.GetValue<string>()).ToList();
        var each = new List<CheckerVerdict>();
        foreach (var jwt in embedded)
        {
            each.Add(await Checker.CheckAsync(bank, jwt, _ct));
        }

        Assert.True(verdict.Status == "verified", verdict.Output);
        Assert.Equal(0, verdict.ExitCode);
        Assert.Equal(["verified", "verified"], verdict.EntryStatuses);
        Assert.Equal([course, certificate], transcript.OutcomeIds);
        Assert.All(each, v => Assert.True(v.Status == "verified", v.Output));
        Assert.Equal(CredentialKind.Transcript, transcript.Kind);
    }

    [Fact]
    public async Task A_transcript_fetched_again_by_id_or_downloaded_is_the_same_bytes_and_still_verifies()
    {
        var learner = await LearnerAsync();
        await bank.BankedAsync(Requests.Course(documentNumber: learner.Document, courseCode: "CS202", grade: "88"), _ct);
        await bank.BankedAsync(Requests.Certificate(documentNumber: learner.Document), _ct);
        var issued = await learner.Client.IssueTranscriptAsync(new(), cancellationToken: _ct);
        var transcript = issued.Credential;

        var again = (await learner.Client.GetCredentialAsync(new() { CredentialId = transcript.CredentialId }, cancellationToken: _ct)).Credential;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/credentials/{transcript.CredentialId}:download").WithToken(learner.Token);
        using var download = await bank.Host.Rest.SendAsync(request, _ct);
        var downloaded = await download.Content.ReadAsStringAsync(_ct);
        var verdict = await Checker.CheckAsync(bank, again.Jwt, _ct);
        var bankSays = await bank.Anyone.VerifyCredentialAsync(new() { CredentialId = transcript.CredentialId }, cancellationToken: _ct);

        Assert.Equal(transcript.Jwt, again.Jwt);
        Assert.Equal(CredentialKind.Transcript, again.Kind);
        Assert.Equal(transcript.OutcomeIds, again.OutcomeIds);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(transcript.Jwt, downloaded);
        Assert.True(verdict.Status == "verified", verdict.Output);
        Assert.Equal(["verified", "verified"], verdict.EntryStatuses);
        Assert.Equal(VerificationStatus.Verified, bankSays.Status);
        Assert.Equal(issued.EmbeddedCredentialIds, bankSays.Entries.Select(e => e.CredentialId));
    }

    [Fact]
    public async Task The_bank_verifies_its_credentials_publicly_by_jwt_and_by_id_without_a_token()
    {
        var learner = await LearnerAsync();
        var outcome = await bank.BankedAsync(Requests.Course(documentNumber: learner.Document), _ct);
        var credential = (await learner.Client.IssueOutcomeCredentialAsync(new() { OutcomeId = outcome }, cancellationToken: _ct)).Credential;

        var byJwt = await bank.Anyone.VerifyCredentialAsync(new() { Jwt = credential.Jwt }, cancellationToken: _ct);
        var byId = await bank.Anyone.VerifyCredentialAsync(new() { CredentialId = credential.CredentialId }, cancellationToken: _ct);
        using var link = await bank.GetAsync(credential.VerificationUrl, _ct);
        var linkBody = await link.Content.ReadAsStringAsync(_ct);
        var unknown = await bank.Anyone.VerifyCredentialAsync(new() { CredentialId = Guid.NewGuid().ToString() }, cancellationToken: _ct);

        Assert.Equal(VerificationStatus.Verified, byJwt.Status);
        Assert.Equal(VerificationStatus.Verified, byId.Status);
        Assert.Equal("AchievementCredential", byJwt.CredentialType);
        Assert.Equal(HttpStatusCode.OK, link.StatusCode);
        Assert.Contains("\"status\":\"VERIFICATION_STATUS_VERIFIED\"", linkBody);
        Assert.StartsWith("http://localhost/v1/credentials/", credential.VerificationUrl);
        Assert.Equal(VerificationStatus.Invalid, unknown.Status);
        Assert.Equal("UNKNOWN_CREDENTIAL", Assert.Single(unknown.Reasons).Code);
    }

    [Fact]
    public async Task Revoking_an_outcome_sets_its_bit_the_checker_then_reports_it_revoked_and_a_second_revocation_changes_nothing()
    {
        var learner = await LearnerAsync();
        var revoked = await bank.BankedAsync(Requests.Certificate(documentNumber: learner.Document), _ct);
        var kept = await bank.BankedAsync(Requests.Course(documentNumber: learner.Document), _ct);
        var credential = (await learner.Client.IssueOutcomeCredentialAsync(new() { OutcomeId = revoked }, cancellationToken: _ct)).Credential;
        var transcript = (await learner.Client.IssueTranscriptAsync(new(), cancellationToken: _ct)).Credential;
        var list = CredentialsBank.Payload(credential.Jwt)["credentialStatus"]!["statusListCredential"]!.GetValue<string>();
        var index = int.Parse(CredentialsBank.Payload(credential.Jwt)["credentialStatus"]!["statusListIndex"]!.GetValue<string>());
        var before = await StatusList.ReadAsync(bank, list, _ct);

        var first = await bank.RevokeAsync(revoked, Requests.TrustedAssessor, _ct);
        var after = await Eventually.Until(() => StatusList.ReadAsync(bank, list, _ct), l => l.Bits.Get(index), what: "the revoked outcome's bit");
        var second = await bank.RevokeAsync(revoked, Requests.TrustedAssessor, _ct);
        await Task.Delay(1000, _ct);
        var afterSecond = await StatusList.ReadAsync(bank, list, _ct);
        var checkedCredential = await Checker.CheckAsync(bank, credential.Jwt, _ct);
        var checkedTranscript = await Checker.CheckAsync(bank, transcript.Jwt, _ct);
        var fetchedAgain = (await learner.Client.GetCredentialAsync(new() { CredentialId = transcript.CredentialId }, cancellationToken: _ct)).Credential;
        var checkedAgain = await Checker.CheckAsync(bank, fetchedAgain.Jwt, _ct);
        var bankSays = await bank.Anyone.VerifyCredentialAsync(new() { CredentialId = transcript.CredentialId }, cancellationToken: _ct);
        var decisions = await bank.DecisionsAsync(revoked, 2, _ct);

        Assert.False(before.Bits.Get(index));
        Assert.True(first.RevokedNow);
        Assert.Equal(before.Bits.Count() + 1, after.Bits.Count());
        Assert.False(second.RevokedNow);
        Assert.Equal(after.ETag, afterSecond.ETag);
        Assert.Equal(after.Bits.Count(), afterSecond.Bits.Count());
        Assert.Equal("revoked", checkedCredential.Status);
        Assert.Equal(1, checkedCredential.ExitCode);
        Assert.Equal("revoked", checkedTranscript.Status);
        Assert.Equal(["revoked", "verified"], checkedTranscript.EntryStatuses);
        Assert.Equal(transcript.Jwt, fetchedAgain.Jwt);
        Assert.Equal(["revoked", "verified"], checkedAgain.EntryStatuses);
        Assert.Equal(VerificationStatus.Revoked, bankSays.Status);
        Assert.Equal([VerificationStatus.Revoked, VerificationStatus.Verified], bankSays.Entries.Select(e => e.Status));
        Assert.Equal([DecisionKind.Recognition, DecisionKind.Revocation], decisions.Decisions.Select(d => d.Kind));
        _ = kept;
    }

    [Fact]
    public async Task A_credential_with_one_byte_of_its_payload_changed_fails_verification()
    {
        var jwt = await CredentialAsync();
        var parts = jwt.Split('.');
        var payload = Base64Url.DecodeFromChars(parts[1]);
        var at = payload.AsSpan().IndexOf("\"validFrom\":\"20"u8) + "\"validFrom\":\"2"u8.Length;
        payload[at] = (byte)'1'; // 2026 → 2126: still JSON, one byte changed
        var tampered = $"{parts[0]}.{Base64Url.EncodeToString(payload)}.{parts[2]}";

        var checker = await Checker.CheckAsync(bank, tampered, _ct);
        var bankSays = await bank.Anyone.VerifyCredentialAsync(new() { Jwt = tampered }, cancellationToken: _ct);

        Assert.Equal("invalid", checker.Status);
        Assert.Equal(["SIGNATURE_INVALID"], checker.Reasons);
        Assert.Equal(VerificationStatus.Invalid, bankSays.Status);
        Assert.Equal("SIGNATURE_INVALID", Assert.Single(bankSays.Reasons).Code);
    }

    [Fact]
    public async Task A_credential_whose_algorithm_was_swapped_to_none_fails_verification()
    {
        var jwt = await CredentialAsync();
        var header = Base64Url.EncodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8);
        var unsigned = $"{header}.{jwt.Split('.')[1]}.";

        var checker = await Checker.CheckAsync(bank, unsigned, _ct);
        var bankSays = await bank.Anyone.VerifyCredentialAsync(new() { Jwt = unsigned }, cancellationToken: _ct);

        Assert.Equal("invalid", checker.Status);
        Assert.Equal(2, checker.ExitCode);
        Assert.Equal(VerificationStatus.Invalid, bankSays.Status);
        Assert.Equal("ALGORITHM_NOT_ALLOWED", Assert.Single(bankSays.Reasons).Code);
    }

    [Fact]
    public async Task A_credential_signed_with_a_key_not_in_the_jwk_set_fails_verification()
    {
        var jwt = await CredentialAsync();
        var kid = CredentialsBank.Payload(jwt)["iss"]!.GetValue<string>().Replace("/credentials/issuer", "/credentials/keys/not-ours");
        var realKid = System.Text.Json.JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[0])).RootElement.GetProperty("kid").GetString()!;
        var foreignUnderOwnKid = SignWithForeignKey(jwt, kid);
        var foreignUnderBanksKid = SignWithForeignKey(jwt, realKid);

        var unknownKey = await Checker.CheckAsync(bank, foreignUnderOwnKid, _ct);
        var impersonated = await Checker.CheckAsync(bank, foreignUnderBanksKid, _ct);
        var bankSays = await bank.Anyone.VerifyCredentialAsync(new() { Jwt = foreignUnderOwnKid }, cancellationToken: _ct);
        var bankSaysImpersonated = await bank.Anyone.VerifyCredentialAsync(new() { Jwt = foreignUnderBanksKid }, cancellationToken: _ct);

        Assert.Equal("invalid", unknownKey.Status);
        Assert.Equal(["UNKNOWN_KEY"], unknownKey.Reasons);
        Assert.Equal("invalid", impersonated.Status);
        Assert.Equal(["SIGNATURE_INVALID"], impersonated.Reasons);
        Assert.Equal("UNKNOWN_KEY", Assert.Single(bankSays.Reasons).Code);
        Assert.Equal("SIGNATURE_INVALID", Assert.Single(bankSaysImpersonated.Reasons).Code);
    }

    [Fact]
    public async Task A_learner_downloads_their_credential_as_a_jwt_file()
    {
        var learner = await LearnerAsync();
        var outcome = await bank.BankedAsync(Requests.Course(documentNumber: learner.Document), _ct);
        var credential = (await learner.Client.IssueOutcomeCredentialAsync(new() { OutcomeId = outcome }, cancellationToken: _ct)).Credential;

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/credentials/{credential.CredentialId}:download").WithToken(learner.Token);
        using var response = await bank.Host.Rest.SendAsync(request, _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jwt", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(credential.Jwt, await response.Content.ReadAsStringAsync(_ct));
    }

    [Fact]
    public async Task Another_learners_outcome_looks_exactly_like_a_missing_one()
    {
        var owner = await LearnerAsync();
        var other = await LearnerAsync();
        var outcome = await bank.BankedAsync(Requests.Course(documentNumber: owner.Document), _ct);
        var missing = Guid.NewGuid().ToString();

        var someoneElses = await Assert.ThrowsAsync<RpcException>(() => other.Client.IssueOutcomeCredentialAsync(new() { OutcomeId = outcome }, cancellationToken: _ct).ResponseAsync);
        var absent = await Assert.ThrowsAsync<RpcException>(() => other.Client.IssueOutcomeCredentialAsync(new() { OutcomeId = missing }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, someoneElses.StatusCode);
        Assert.Equal(absent.StatusCode, someoneElses.StatusCode);
        Assert.Equal(absent.ErrorInfo()?.Reason, someoneElses.ErrorInfo()?.Reason);
        Assert.Equal(absent.Status.Detail.Replace(missing, "ID"), someoneElses.Status.Detail.Replace(outcome, "ID"));
    }

    private static int _learners;

    private async Task<(string Document, string Token, CredentialsService.CredentialsServiceClient Client)> LearnerAsync()
    {
        var document = Requests.ResidentId(300 + Interlocked.Increment(ref _learners));
        var token = await bank.LearnerAsync(document);
        return (document, token, bank.As(token));
    }

    private async Task<string> CredentialAsync()
    {
        var learner = await LearnerAsync();
        var outcome = await bank.BankedAsync(Requests.Course(documentNumber: learner.Document), _ct);
        return (await learner.Client.IssueOutcomeCredentialAsync(new() { OutcomeId = outcome }, cancellationToken: _ct)).Credential.Jwt;
    }

    /// <summary>The same payload under an ES256 signature of a key the bank never had.</summary>
    private static string SignWithForeignKey(string jwt, string kid)
    {
        using var foreign = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"alg\":\"ES256\",\"kid\":\"{kid}\",\"typ\":\"JWT\"}}"));
        var input = $"{header}.{jwt.Split('.')[1]}";
        return $"{input}.{Base64Url.EncodeToString(foreign.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256))}";
    }
}
