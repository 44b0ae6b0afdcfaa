using System.Text.Json.Nodes;
using CreditBank.Contracts.Credentials.V1;
using Grpc.Core;
using IntegrationEvents = CreditBank.Contracts.Events;

namespace CreditBank.Credentials.Tests;

/// <summary>Every recognition and conversion decision is signed over its canonical JSON, citing the unit or rule version and its definition's hash.</summary>
public sealed class SignedDecisions(CredentialsBank bank) : IClassFixture<CredentialsBank>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_recognition_is_signed_citing_the_unit_version_and_its_definition_hash_and_the_independent_checker_verifies_it()
    {
        var document = Requests.ResidentId(421);
        var token = await bank.LearnerAsync(document);
        var first = await bank.BankedAsync(Requests.Certificate(documentNumber: document), _ct);
        var second = await bank.BankedAsync(Requests.Certificate(documentNumber: document), _ct);

        var decision = Assert.Single((await bank.As(token).GetOutcomeDecisionsAsync(new() { OutcomeId = first }, cancellationToken: _ct)).Decisions);
        var other = Assert.Single((await bank.As(token).GetOutcomeDecisionsAsync(new() { OutcomeId = second }, cancellationToken: _ct)).Decisions);
        var json = JsonNode.Parse(decision.CanonicalJson)!;
        var checker = await Checker.CheckDecisionAsync(bank, decision.CanonicalJson, decision.DetachedJws, _ct);
        var tampered = await Checker.CheckDecisionAsync(bank, decision.CanonicalJson.Replace("\"credits\":4", "\"credits\":40"), decision.DetachedJws, _ct);

        Assert.Equal(DecisionKind.Recognition, decision.Kind);
        Assert.Equal("RecognitionDecision", json["type"]!.GetValue<string>());
        Assert.Equal(first, json["outcomeId"]!.GetValue<string>());
        Assert.Equal("1X-WEB-2", json["unit"]!["code"]!.GetValue<string>());
        Assert.Equal(1, json["unit"]!["version"]!.GetValue<int>());
        Assert.Matches("^[0-9a-f]{64}$", json["unit"]!["definitionSha256"]!.GetValue<string>());
        Assert.Equal(json["unit"]!["definitionSha256"]!.GetValue<string>(), JsonNode.Parse(other.CanonicalJson)!["unit"]!["definitionSha256"]!.GetValue<string>());
        Assert.Equal("institution:" + Requests.TrustedAssessor, json["decidedBy"]!.GetValue<string>());
        Assert.Matches(@"^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$", decision.DetachedJws);
        Assert.True(checker.Status == "verified", checker.Output);
        Assert.Equal("invalid", tampered.Status);
    }

    [Fact]
    public async Task A_conversion_decision_is_signed_citing_each_rule_version_and_its_definition_hash()
    {
        var document = Requests.ResidentId(422);
        var token = await bank.LearnerAsync(document);
        var outcome = await bank.BankedAsync(Requests.Course(documentNumber: document), _ct);
        var hash = await LearnerHashAsync(document);
        var converted = new IntegrationEvents.CreditsConverted
        {
            EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, Actor = "institution:4150010611", ApplicationId = Guid.NewGuid(),
            LearnerDocumentType = "RESIDENT_ID_CARD", LearnerDocumentHash = hash, ProgrammeCode = "CQU-SE-2025", InstitutionCode = "4150010611",
            Items = [new(1, "R-CS-DS", 2, [new(Guid.Parse(outcome), "COURSE")], ["CORE202"], 4m, new string('a', 64))],
        };

        await bank.PublishAsync(converted, _ct);
        var decision = await Eventually.Until(async () =>
        {
            try
            {
                return (await bank.As(token).GetConversionDecisionAsync(new() { ApplicationId = converted.ApplicationId.ToString() }, cancellationToken: _ct)).Decision;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return null;
            }
        }, d => d is not null, what: "the signed conversion decision");
        var json = JsonNode.Parse(decision!.CanonicalJson)!;
        var checker = await Checker.CheckDecisionAsync(bank, decision.CanonicalJson, decision.DetachedJws, _ct);
        var transcript = (await bank.As(token).IssueTranscriptAsync(new(), cancellationToken: _ct)).Credential;
        var transcriptChecked = await Checker.CheckAsync(bank, transcript.Jwt, _ct);
        var subject = CredentialsBank.Payload(transcript.Jwt)["credentialSubject"]!;

        Assert.Equal(DecisionKind.Conversion, decision.Kind);
        Assert.Equal("R-CS-DS", json["acceptedItems"]![0]!["rule"]!["id"]!.GetValue<string>());
        Assert.Equal(2, json["acceptedItems"]![0]!["rule"]!["version"]!.GetValue<int>());
        Assert.Equal(new string('a', 64), json["acceptedItems"]![0]!["rule"]!["definitionSha256"]!.GetValue<string>());
        Assert.True(checker.Status == "verified", checker.Output);
        Assert.True(transcriptChecked.Status == "verified", transcriptChecked.Output);
        Assert.Equal(2, subject["verifiableCredential"]!.AsArray().Count);
        Assert.Equal("isRelatedTo", subject["association"]![0]!["associationType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Decisions_are_shown_only_to_those_entitled_to_the_outcome()
    {
        var document = Requests.ResidentId(423);
        var token = await bank.LearnerAsync(document);
        var stranger = await bank.LearnerAsync(Requests.ResidentId(424));
        var outcome = await bank.BankedAsync(Requests.Course(documentNumber: document), _ct);

        var asInstitution = await bank.As(bank.Callers.TokenOf(Requests.TrustedCollege)).GetOutcomeDecisionsAsync(new() { OutcomeId = outcome }, cancellationToken: _ct);
        var asOtherInstitution = await Assert.ThrowsAsync<RpcException>(() => bank.As(bank.Callers.TokenOf(Requests.TrustedAssessor))
            .GetOutcomeDecisionsAsync(new() { OutcomeId = outcome }, cancellationToken: _ct).ResponseAsync);
        var asStranger = await Assert.ThrowsAsync<RpcException>(() => bank.As(stranger).GetOutcomeDecisionsAsync(new() { OutcomeId = outcome }, cancellationToken: _ct).ResponseAsync);
        var asLearner = await bank.As(token).GetOutcomeDecisionsAsync(new() { OutcomeId = outcome }, cancellationToken: _ct);

        Assert.Single(asInstitution.Decisions);
        Assert.Single(asLearner.Decisions);
        Assert.Equal(StatusCode.NotFound, asOtherInstitution.StatusCode);
        Assert.Equal(StatusCode.NotFound, asStranger.StatusCode);
    }

    private Task<string> LearnerHashAsync(string document)
    {
        PersonalData.IdentityDocument.TryParse(PersonalData.DocumentType.ResidentIdCard, document, out var parsed, out _);
        return Task.FromResult(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<PersonalData.DocumentProtector>(bank.Host.Services).Hash(parsed!));
    }
}
