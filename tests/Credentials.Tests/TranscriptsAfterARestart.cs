using CreditBank.Contracts.Credentials.V1;

namespace CreditBank.Credentials.Tests;

/// <summary>
/// A transcript's VC-JWT is not stored whole: what is kept of it (its envelope, signature and the ids it embeds) and the
/// kept outcome credentials build it again. After a restart, with nothing in memory, it is built from the database
/// alone — and must be the bytes the learner was given.
/// </summary>
public sealed class TranscriptsAfterARestart
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_transcript_asked_for_by_id_after_a_restart_is_byte_for_byte_the_one_issued_and_still_verifies()
    {
        var folder = Directory.CreateTempSubdirectory("creditbank-restart-").FullName;
        var (key, _) = BankOnAFolder.NewKey();
        var document = Requests.ResidentId(433);
        string token;
        IssueTranscriptResponse issued;

        await using (var first = await BankOnAFolder.StartAsync(folder, key, []))
        {
            token = await first.LearnerAsync(document);
            for (var i = 0; i < 3; i++)
            {
                await first.BankedAsync(Requests.Course(documentNumber: document), _ct);
            }

            issued = await first.As(token).IssueTranscriptAsync(new(), cancellationToken: _ct);
        }

        await using var restarted = await BankOnAFolder.StartAsync(folder, key, []);
        var learner = restarted.As(token);
        var byId = (await learner.GetCredentialAsync(new() { CredentialId = issued.Credential.CredentialId }, cancellationToken: _ct)).Credential;
        var verdict = await restarted.Anyone.VerifyCredentialAsync(new() { CredentialId = issued.Credential.CredentialId }, cancellationToken: _ct);
        var checker = await Checker.CheckAsync(restarted, byId.Jwt, _ct);

        Assert.Equal(3, issued.EmbeddedCredentialIds.Count);
        Assert.Equal(issued.Credential.Jwt, byId.Jwt);
        Assert.Equal(VerificationStatus.Verified, verdict.Status);
        Assert.True(checker.Status == "verified", checker.Output);
    }
}
