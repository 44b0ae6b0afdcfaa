using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CreditBank.Contracts.Credentials.V1;
using Grpc.Core;

namespace CreditBank.Credentials.Tests;

/// <summary>
/// A learner's transcript answered as the .jwt file itself (<c>IssueTranscriptFile</c>): the bytes of a transcript the
/// bank keeps, named by its headers, verifiable by anyone — over gRPC and over REST.
/// </summary>
public sealed class TranscriptFiles(CredentialsBank bank) : IClassFixture<CredentialsBank>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_transcript_file_over_grpc_is_the_transcript_its_credential_id_names_and_the_independent_checker_verifies_it()
    {
        var document = Requests.ResidentId(461);
        var learner = bank.As(await bank.LearnerAsync(document));
        for (var i = 0; i < 3; i++)
        {
            await bank.BankedAsync(Requests.Course(documentNumber: document), _ct);
        }

        using var call = learner.IssueTranscriptFileAsync(new(), cancellationToken: _ct);
        var file = await call.ResponseAsync;
        var headers = await call.ResponseHeadersAsync;
        var jwt = Encoding.ASCII.GetString(file.Data.Span);
        var credentialId = headers.GetValue("credential-id")!;
        var kept = (await learner.GetCredentialAsync(new() { CredentialId = credentialId }, cancellationToken: _ct)).Credential;
        var checker = await Checker.CheckAsync(bank, jwt, _ct);

        Assert.Equal("application/jwt", file.ContentType);
        Assert.Equal(CredentialKind.Transcript, kept.Kind);
        Assert.Equal(kept.Jwt, jwt);
        Assert.Equal(kept.VerificationUrl, headers.GetValue("verification-url"));
        Assert.Equal(credentialId, CredentialsBank.Payload(jwt)["id"]!.GetValue<string>());
        Assert.Equal(3, kept.OutcomeIds.Count);
        Assert.True(checker.Status == "verified", checker.Output);
    }

    [Fact]
    public async Task A_transcript_file_over_rest_is_an_application_jwt_attachment_that_verifies_and_only_a_learner_is_issued_one()
    {
        var document = Requests.ResidentId(462);
        var token = await bank.LearnerAsync(document);
        await bank.BankedAsync(Requests.Course(documentNumber: document), _ct);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/credentials:issueTranscriptFile") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await bank.Host.Rest.SendAsync(request, _ct);
        var jwt = await response.Content.ReadAsStringAsync(_ct);
        var verdict = await bank.As(token).VerifyCredentialAsync(new() { Jwt = jwt }, cancellationToken: _ct);
        var administrator = await Assert.ThrowsAsync<RpcException>(async () =>
            await bank.As(bank.Callers.AdminToken).IssueTranscriptFileAsync(new(), cancellationToken: _ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jwt", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.StartsWith("urn:uuid:", response.Headers.GetValues("credential-id").Single(), StringComparison.Ordinal);
        Assert.Equal(VerificationStatus.Verified, verdict.Status);
        Assert.Equal(StatusCode.PermissionDenied, administrator.StatusCode);
    }
}
