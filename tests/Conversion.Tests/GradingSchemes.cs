using CreditBank.Contracts.Recognition.V1;
using CreditBank.Conversion.Data;
using CreditBank.Messaging;
using CreditBank.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using IntegrationEvents = CreditBank.Contracts.Events;

namespace CreditBank.Conversion.Tests;

/// <summary>Grades in schemes registered by data in recognition's catalogue, which conversion learns by event.</summary>
public sealed class GradingSchemes(StandaloneBankHost bank) : IClassFixture<StandaloneBankHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_course_graded_in_LETTER_AF_is_compared_with_a_rules_percentage_threshold()
    {
        var good = Requests.ResidentId(941);
        var low = Requests.ResidentId(942);
        var goodLearner = await bank.LearnerAsync("learner941", good);
        var lowLearner = await bank.LearnerAsync("learner942", low);
        await bank.Institutions.SubmitOutcomeAsync(LetterGraded(good, "B"), cancellationToken: _ct);
        await bank.Institutions.SubmitOutcomeAsync(LetterGraded(low, "C"), cancellationToken: _ct);

        // The rule R-CS-DS of CQU-SE-2025 asks for CS101 at the college with ≥ 80 (百分制); B stands for 80, C for 70.
        var transferred = await Eventually.Until(() => bank.Conversion(goodLearner).EvaluateConversionAsync(new() { ProgrammeCode = "CQU-SE-2025" }, cancellationToken: _ct).ResponseAsync,
            r => r.Exemptions.Count > 0, what: "the LETTER_AF grade B to convert");
        var refused = await bank.EvaluateWhenSeenAsync(lowLearner, "CQU-SE-2025", 1);

        Assert.Equal(["CORE202"], Assert.Single(transferred.Exemptions).CourseCodes);
        Assert.Equal("GRADE_BELOW_THRESHOLD", refused.Verdicts[0].Refusal);
        Assert.Contains("grade C (等级制 A–F) is below the required 80", refused.Verdicts[0].Explanation);
    }

    [Fact]
    public async Task A_newer_definition_of_a_scheme_wins_whatever_order_the_definitions_arrive_in()
    {
        var newer = Definition(DateTimeOffset.UtcNow, "Ten point (new)", max: 10);
        var older = Definition(newer.OccurredAt.AddMinutes(-5), "Ten point (old)", max: 5);
        var latest = older with { EventId = Guid.NewGuid(), OccurredAt = newer.OccurredAt.AddMinutes(1), Name = "Ten point (again)" };
        var bus = bank.Host.Services.GetRequiredService<IBus>();

        await bus.Publish(newer, c => c.MessageId = newer.EventId, _ct);
        await ProcessedAsync(newer.EventId);
        await bus.Publish(older, c => c.MessageId = older.EventId, _ct);
        await bus.Publish(newer, c => c.MessageId = newer.EventId, _ct);
        await ProcessedAsync(older.EventId);
        var afterOlder = await Stored("TEN_POINT");
        await bus.Publish(latest, c => c.MessageId = latest.EventId, _ct);
        await ProcessedAsync(latest.EventId);
        var afterLatest = await Stored("TEN_POINT");

        Assert.Contains("(new)", afterOlder!.Definition);
        Assert.Contains("(again)", afterLatest!.Definition);
        Assert.Equal(latest.OccurredAt.ToUnixTimeMilliseconds(), afterLatest.DefinedAt.ToUnixTimeMilliseconds());
    }

    private async Task ProcessedAsync(Guid eventId)
    {
        await Eventually.Until(async () =>
        {
            await using var scope = bank.Host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ConversionDb>().Set<InboxMessage>().AnyAsync(m => m.MessageId == eventId, _ct);
        }, processed => processed, what: $"event {eventId} to be processed");
    }

    private async Task<GradingSchemeRecord?> Stored(string code)
    {
        await using var scope = bank.Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConversionDb>().GradingSchemes.AsNoTracking().FirstOrDefaultAsync(g => g.Code == code, _ct);
    }

    private static IntegrationEvents.GradingSchemeDefined Definition(DateTimeOffset at, string name, decimal max) => new()
    {
        EventId = Guid.NewGuid(), OccurredAt = at, Actor = "system", Code = "TEN_POINT", Name = name, Kind = "NUMERIC", Min = 0, Max = max, PassMark = 6, Values = [],
    };

    private static SubmitOutcomeRequest LetterGraded(string number, string grade)
    {
        var request = Requests.Course(documentNumber: number, institution: StandaloneBankHost.College, courseCode: "CS101");
        request.Course.Grade = new Grade { SchemeCode = "LETTER_AF", Value = grade };
        return request;
    }
}
