namespace CreditBank.Credentials.Tests;

/// <summary>An outcome's credential is issued once and kept: asked for again or embedded in a transcript, it is the same signed credential.</summary>
public sealed class KeptCredentials(CredentialsBank bank) : IClassFixture<CredentialsBank>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_request_and_every_transcript_states_an_outcome_with_the_one_credential_issued_for_it_first()
    {
        var document = Requests.ResidentId(451);
        var client = bank.As(await bank.LearnerAsync(document));
        var outcome = await bank.BankedAsync(Requests.Course(documentNumber: document), _ct);
        await bank.BankedAsync(Requests.Course(documentNumber: document), _ct);

        var transcript = await client.IssueTranscriptAsync(new(), cancellationToken: _ct);
        var again = await client.IssueTranscriptAsync(new(), cancellationToken: _ct);
        var single = (await client.IssueOutcomeCredentialAsync(new() { OutcomeId = outcome }, cancellationToken: _ct)).Credential;
        var singleAgain = (await client.IssueOutcomeCredentialAsync(new() { OutcomeId = outcome }, cancellationToken: _ct)).Credential;
        var byId = (await client.GetCredentialAsync(new() { CredentialId = single.CredentialId }, cancellationToken: _ct)).Credential;
        var embedded = Embedded(transcript.Credential.Jwt);

        Assert.NotEqual(transcript.Credential.CredentialId, again.Credential.CredentialId);
        Assert.Equal(embedded, Embedded(again.Credential.Jwt));
        Assert.Equal(transcript.EmbeddedCredentialIds, again.EmbeddedCredentialIds);
        Assert.Equal(2, embedded.Distinct().Count());
        Assert.Contains(single.Jwt, embedded);
        Assert.Contains(single.CredentialId, transcript.EmbeddedCredentialIds);
        Assert.Equal(single.Jwt, singleAgain.Jwt);
        Assert.Equal(single.Jwt, byId.Jwt);
    }

    private static List<string> Embedded(string transcriptJwt) =>
        [.. CredentialsBank.Payload(transcriptJwt)["credentialSubject"]!["verifiableCredential"]!.AsArray().Select(c => c!["proof"]![0]!["jwt"]!.GetValue<string>())];
}
