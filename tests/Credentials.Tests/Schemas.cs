using System.Text.Json.Nodes;

namespace CreditBank.Credentials.Tests;

/// <summary>
/// Each credential the bank issues validates against the OB 3.0 AchievementCredential and CLR 2.0 ClrCredential JSON
/// schemas (tests/CredentialChecker/schemas, with ajv): the transcript, each embedded credential, a credential of its
/// own; and the same schemas refuse a credential that lacks what the specifications require.
/// </summary>
public sealed class Schemas(CredentialsBank bank) : IClassFixture<CredentialsBank>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_credential_of_a_transcript_validates_against_the_ob_3_0_and_clr_2_0_schemas()
    {
        var document = Requests.ResidentId(471);
        var token = await bank.LearnerAsync(document);
        var course = await bank.BankedAsync(Requests.Course(documentNumber: document, courseCode: "CS301", grade: "88"), _ct);
        await bank.BankedAsync(Requests.Certificate(documentNumber: document), _ct);
        var transcript = CredentialsBank.Payload((await bank.As(token).IssueTranscriptAsync(new(), cancellationToken: _ct)).Credential.Jwt);
        var single = CredentialsBank.Payload((await bank.As(token).IssueOutcomeCredentialAsync(new() { OutcomeId = course }, cancellationToken: _ct)).Credential.Jwt);

        var verdicts = new List<CheckerVerdict> { await Checker.CheckSchemaAsync(transcript, _ct), await Checker.CheckSchemaAsync(single, _ct) };
        foreach (var embedded in transcript["credentialSubject"]!["verifiableCredential"]!.AsArray())
        {
            verdicts.Add(await Checker.CheckSchemaAsync(embedded!.AsObject(), _ct));
        }

        Assert.Equal(4, verdicts.Count);
        Assert.All(verdicts, v => Assert.True(v.Status == "verified", v.Output));
        Assert.All(verdicts, v => Assert.StartsWith("ajv against", v.SchemaCheck));
    }

    [Theory]
    [InlineData(474, "the achievement's criteria", "credentialSubject.achievement.criteria")]
    [InlineData(475, "the achievement's name", "credentialSubject.achievement.name")]
    [InlineData(476, "validFrom", "validFrom")]
    [InlineData(477, "the issuer", "issuer")]
    public async Task A_credential_without_a_member_the_specification_requires_fails_the_schema(int learner, string what, string path)
    {
        var document = Requests.ResidentId(learner);
        var token = await bank.LearnerAsync(document);
        var outcome = await bank.BankedAsync(Requests.Course(documentNumber: document), _ct);
        var credential = CredentialsBank.Payload((await bank.As(token).IssueOutcomeCredentialAsync(new() { OutcomeId = outcome }, cancellationToken: _ct)).Credential.Jwt);
        var names = path.Split('.');
        var parent = names[..^1].Aggregate((JsonNode)credential, (node, name) => node[name]!).AsObject();
        Assert.True(parent.Remove(names[^1]), $"The credential has no {what} to remove.");

        var verdict = await Checker.CheckSchemaAsync(credential, _ct);

        Assert.Equal("invalid", verdict.Status);
        Assert.Contains("SCHEMA_INVALID", verdict.Reasons);
    }

    [Fact]
    public async Task A_holder_identifier_carrying_anything_beyond_the_hash_fails_the_schema()
    {
        var document = Requests.ResidentId(473);
        var token = await bank.LearnerAsync(document);
        var outcome = await bank.BankedAsync(Requests.Course(documentNumber: document), _ct);
        var credential = CredentialsBank.Payload((await bank.As(token).IssueOutcomeCredentialAsync(new() { OutcomeId = outcome }, cancellationToken: _ct)).Credential.Jwt);
        credential["credentialSubject"]!["identifier"]![0]!["identityNumber"] = document;

        var verdict = await Checker.CheckSchemaAsync(credential, _ct);

        Assert.Equal("invalid", verdict.Status);
        Assert.Contains("SCHEMA_INVALID", verdict.Reasons);
    }
}
