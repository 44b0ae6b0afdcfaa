using CreditBank.Conversion.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using IntegrationEvents = CreditBank.Contracts.Events;

namespace CreditBank.Conversion.Tests;

/// <summary>
/// Conversion's copy of an outcome is the same whatever order its recognition and revocation arrive in, and however
/// often each is delivered: once revoked, never usable again.
/// </summary>
public sealed class EventsInAnyOrder : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private ServiceHost _host = null!;

    public async ValueTask InitializeAsync() =>
        _host = await ServiceHost.StartAsync(b => b.AddConversion(), a => a.MapConversion(), services: b => b.AddConsumedMessages());

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Theory]
    [InlineData("RV")]
    [InlineData("VR")]
    [InlineData("RVRV")]
    [InlineData("VRVR")]
    [InlineData("RRVV")]
    [InlineData("VVRR")]
    public async Task Recognition_and_revocation_in_any_order_leave_the_outcome_revoked_with_its_facts(string order)
    {
        var learner = Learner(Requests.ResidentId(800));
        var outcome = new IntegrationEvents.RecognisedOutcome(Guid.NewGuid(), Requests.TrustedAssessor, learner, "SKILL_CERTIFICATE",
            "Web 前端开发 中级", 4m, new IntegrationEvents.OutcomeFacts("1X-WEB-2", "1X-WEB", 2, null, null, null, 0, new DateOnly(2025, 6, 30)));
        var kept = outcome with { OutcomeId = Guid.NewGuid(), Title = "Web 前端开发 初级" };
        var recognised = new IntegrationEvents.OutcomesRecognised
        {
            EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, Actor = "institution:" + Requests.TrustedAssessor, Outcomes = [outcome, kept],
        };
        var revoked = new IntegrationEvents.OutcomeRevoked
        {
            EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow.AddDays(3), Actor = "admin:1", OutcomeId = outcome.OutcomeId,
            InstitutionCode = outcome.InstitutionCode, Learner = learner, OutcomeKind = outcome.OutcomeKind, Title = outcome.Title,
            WasRecognised = true, Credits = outcome.Credits, ReasonCode = "FRAUD", Reason = "证书造假",
        };

        foreach (var step in order)
        {
            IntegrationEvents.IIntegrationEvent next = step == 'R' ? recognised : revoked;
            var consumed = _host.Services.GetRequiredService<ConsumedMessages>();
            var before = consumed.Count(next.EventId);
            var bus = _host.Services.GetRequiredService<IBus>();
            await (step == 'R'
                ? bus.Publish(recognised, c => c.MessageId = recognised.EventId, _ct)
                : bus.Publish(revoked, c => c.MessageId = revoked.EventId, _ct));
            await consumed.WaitAsync(next.EventId, before + 1);
        }

        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConversionDb>();
        var rows = await db.LearnerOutcomes.AsNoTracking().Where(o => o.OutcomeId == outcome.OutcomeId || o.OutcomeId == kept.OutcomeId).ToListAsync(_ct);
        var row = Assert.Single(rows, r => r.OutcomeId == outcome.OutcomeId);
        Assert.True(row.Revoked);
        Assert.Equal(("SKILL_CERTIFICATE", "1X-WEB", 2, 4m, new DateOnly(2025, 6, 30), "Web 前端开发 中级", learner.DocumentHash, "RESIDENT_ID_CARD"),
            (row.Kind, row.StandardCode, row.Level, row.Credits, row.AchievedOn, row.Title, row.LearnerDocumentHash, row.LearnerDocumentType));
        Assert.False(Assert.Single(rows, r => r.OutcomeId == kept.OutcomeId).Revoked);
        Assert.True(ConversionJson.Outcome(row).Revoked);
    }

    /// <summary>A learner as events name them; conversion keeps only the hash and the document type.</summary>
    private static IntegrationEvents.LearnerIdentity Learner(string documentNumber) =>
        new("RESIDENT_ID_CARD", Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(documentNumber))),
            "5001**********0025", "sealed", "王五");
}
