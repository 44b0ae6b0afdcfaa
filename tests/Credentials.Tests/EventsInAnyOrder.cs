using CreditBank.Contracts.Credentials.V1;
using CreditBank.PersonalData;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using IntegrationEvents = CreditBank.Contracts.Events;

namespace CreditBank.Credentials.Tests;

/// <summary>
/// Credentials reaches the same state whatever order an outcome's recognition (R), revocation (V) and a conversion that
/// used it (C) arrive in, with and without redeliveries: the outcome's bit and the exemption's bit set, nothing else,
/// every decision signed once, and the learner's other outcome still issued and verified.
/// </summary>
public sealed class EventsInAnyOrder(CredentialsBank bank) : IClassFixture<CredentialsBank>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(EventOrders.All), MemberType = typeof(EventOrders))]
    public async Task Recognised_revoked_and_converted_in_any_order_end_with_the_same_bits_set_and_decisions_signed(string order, bool redelivered)
    {
        var number = Requests.ResidentId(500 + EventOrders.Case(order, redelivered));
        var token = await bank.LearnerAsync(number);
        var learner = Learner(number);
        var outcome = new IntegrationEvents.RecognisedOutcome(Guid.NewGuid(), Requests.TrustedCollege, learner, "COURSE", "CS101 数据结构 (2025-2026-1)", 3m,
            new("GEN-COURSE", null, 0, "CS101", "PERCENTAGE", "88", 64, new DateOnly(2026, 1, 10)));
        var kept = outcome with { OutcomeId = Guid.NewGuid(), Title = "CS102 操作系统 (2025-2026-1)", Facts = outcome.Facts! with { CourseCode = "CS102" } };
        var applicationId = Guid.NewGuid();
        var events = new Dictionary<char, IntegrationEvents.IIntegrationEvent>
        {
            ['R'] = new IntegrationEvents.OutcomesRecognised { EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, Actor = "institution:" + Requests.TrustedCollege, Outcomes = [outcome, kept] },
            ['V'] = new IntegrationEvents.OutcomeRevoked
            {
                EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, Actor = "institution:" + Requests.TrustedCollege, OutcomeId = outcome.OutcomeId,
                InstitutionCode = outcome.InstitutionCode, Learner = learner, OutcomeKind = "COURSE", Title = outcome.Title, WasRecognised = true,
                Credits = 3m, ReasonCode = "CERTIFICATE_WITHDRAWN", Reason = "证书撤回",
            },
            ['C'] = new IntegrationEvents.CreditsConverted
            {
                EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, Actor = "institution:4150010611", ApplicationId = applicationId,
                LearnerDocumentType = "RESIDENT_ID_CARD", LearnerDocumentHash = learner.DocumentHash, ProgrammeCode = "CQU-SE-2025", InstitutionCode = "4150010611",
                Items = [new(1, "R-CS-DS", 1, [new(outcome.OutcomeId, "COURSE"), new(kept.OutcomeId, "COURSE")], ["CORE202"], 4m)],
            },
        };
        var setBefore = await SetBitsAsync();
        var sequence = EventOrders.Sequence(order, redelivered);

        foreach (var step in sequence)
        {
            var integrationEvent = events[step];
            var before = bank.ConsumedMessages.Count(integrationEvent.EventId);
            await PublishAsync(integrationEvent);
            await bank.ConsumedMessages.WaitAsync(integrationEvent.EventId, before + 1);
        }

        var client = bank.As(token);
        var decisions = await client.GetOutcomeDecisionsAsync(new() { OutcomeId = outcome.OutcomeId.ToString() }, cancellationToken: _ct);
        var conversion = await client.GetConversionDecisionAsync(new() { ApplicationId = applicationId.ToString() }, cancellationToken: _ct);
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.IssueOutcomeCredentialAsync(new() { OutcomeId = outcome.OutcomeId.ToString() }, cancellationToken: _ct).ResponseAsync);
        var transcript = (await client.IssueTranscriptAsync(new(), cancellationToken: _ct)).Credential;
        var verified = await bank.Anyone.VerifyCredentialAsync(new() { Jwt = transcript.Jwt }, cancellationToken: _ct);

        Assert.Equal([DecisionKind.Recognition, DecisionKind.Revocation], decisions.Decisions.Select(d => d.Kind).Order());
        Assert.Equal(DecisionKind.Conversion, conversion.Decision.Kind);
        Assert.Equal("OUTCOME_REVOKED", refused.ErrorInfo()?.Reason);
        Assert.Equal([kept.OutcomeId.ToString()], transcript.OutcomeIds);
        Assert.Equal(VerificationStatus.Verified, verified.Status);
        Assert.Single(verified.Entries);
        Assert.Equal(setBefore + 2, await SetBitsAsync()); // the revoked outcome's bit and the exemption's, once each
    }

    private Task PublishAsync(IntegrationEvents.IIntegrationEvent integrationEvent) => integrationEvent switch
    {
        IntegrationEvents.OutcomesRecognised e => bank.PublishAsync(e, _ct),
        IntegrationEvents.OutcomeRevoked e => bank.PublishAsync(e, _ct),
        IntegrationEvents.CreditsConverted e => bank.PublishAsync(e, _ct),
        _ => throw new ArgumentOutOfRangeException(nameof(integrationEvent)),
    };

    /// <summary>Set bits in every list the bank publishes, as a verifier would read them.</summary>
    private async Task<int> SetBitsAsync()
    {
        var total = 0;
        for (var list = 1; ; list++)
        {
            using var response = await bank.GetAsync($"http://localhost/credentials/status/{list}", _ct);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return total;
            }

            total += (await StatusList.ReadAsync(bank, $"http://localhost/credentials/status/{list}", _ct)).Bits.Count();
        }
    }

    private IntegrationEvents.LearnerIdentity Learner(string number)
    {
        IdentityDocument.TryParse(PersonalData.DocumentType.ResidentIdCard, number, out var document, out _);
        var learner = bank.Host.Services.GetRequiredService<DocumentProtector>().Protect(document!);
        return new IntegrationEvents.LearnerIdentity("RESIDENT_ID_CARD", learner.Hash, learner.Masked, learner.Sealed, "李四");
    }
}
