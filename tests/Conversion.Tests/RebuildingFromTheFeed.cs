using System.Diagnostics;
using CreditBank.Contracts.Events;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Conversion.Data;
using CreditBank.Conversion.OutcomeFeed;
using CreditBank.Identity;
using CreditBank.Recognition;
using CreditBank.Recognition.Data;
using Grpc.Core.Interceptors;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditBank.Conversion.Tests;

/// <summary>
/// A new conversion database rebuilds its copy of banked outcomes from recognition's change feed, then follows events:
/// the copy it ends with is the one conversion built from events, row for row, revocations included.
/// </summary>
public sealed class RebuildingFromTheFeed : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    /// <summary>Identity, recognition and the conversion that builds its copy from events, in one process.</summary>
    private ServiceHost _bank = null!;
    private ActingAs _callers = null!;

    public async ValueTask InitializeAsync()
    {
        _bank = await ServiceHost.StartAsync(b => b.AddIdentityProvider().AddRecognition().AddConversion(),
            a => a.MapIdentityProvider().MapRecognition().MapConversion(), services: b => b.AddEventProbe<OutcomeRevoked>());
        _callers = await ActingAs.ForDemoAsync(_bank);
    }

    public ValueTask DisposeAsync() => _bank.DisposeAsync();

    private RecognitionService.RecognitionServiceClient Institutions => new(_bank.Channel.Intercept(_callers));

    [Fact]
    public async Task A_new_conversion_database_catches_up_from_the_feed_to_the_copy_built_from_events_then_applies_a_later_revocation_event()
    {
        var outcomes = new List<(string Id, string Institution)>();
        for (var i = 0; i < 24; i++)
        {
            var request = i % 3 == 0
                ? Requests.Certificate(Requests.ResidentId(820 + i % 4), level: (SkillLevel)(1 + i % 3), issueDate: $"2025-06-{1 + i:D2}")
                : Requests.Course(Requests.ResidentId(820 + i % 4), credits: 1 + i % 4, courseCode: $"CS{300 + i}");
            outcomes.Add(((await Institutions.SubmitOutcomeAsync(request, cancellationToken: _ct)).OutcomeId, request.InstitutionCode));
        }

        foreach (var (id, institution) in outcomes.Take(4))
        {
            await RevokeAsync(id, institution);
        }

        await BankedByEventsAsync();

        // Pages of 5: the catch-up crosses pages, with a recognition and its revocation on different ones.
        await using var rebuilt = await RebuiltConversionAsync(pageSize: 5, pollInterval: TimeSpan.FromHours(1));
        var caughtUp = await SameCopyAsync(rebuilt, TimeSpan.FromSeconds(30));

        // After the catch-up (the follower now waits an hour before asking again), a revocation reaches the new
        // conversion by its event, as it does every conversion.
        var later = outcomes[10];
        var before = EventsOfRevocation().Count;
        await RevokeAsync(later.Id, later.Institution);
        var revocation = await Eventually.Until(() => Task.FromResult(EventsOfRevocation()), e => e.Count > before, what: "the revocation's event");
        await rebuilt.Services.GetRequiredService<IBus>().Publish(revocation[^1], _ct);
        var afterwards = await SameCopyAsync(rebuilt, TimeSpan.FromSeconds(30));

        Assert.Equal(outcomes.Count, caughtUp.Count);
        Assert.Equal(4, caughtUp.Count(o => o.Revoked));
        Assert.Contains(caughtUp, o => o.Kind == "SKILL_CERTIFICATE" && o.StandardCode is not null && o.Level > 0);
        Assert.Contains(caughtUp, o => o.Kind == "COURSE" && o.GradeScheme == "PERCENTAGE" && o.Hours == 64);
        Assert.True(Assert.Single(afterwards, o => o.OutcomeId == Guid.Parse(later.Id)).Revoked);
        Assert.Equal(5, afterwards.Count(o => o.Revoked));
        Assert.Equal(outcomes.Count + 4, await CursorReadAsync(rebuilt)); // 24 recognitions and 4 revocations read from the feed
    }

    [Fact]
    public async Task A_bank_of_100000_outcomes_on_PostgreSQL_is_rebuilt_from_the_feed_equal_to_the_copy_built_from_events_with_revocations_before_and_during()
    {
        // The production path is PostgreSQL's (COPY, the feed's transaction horizon): 100,000 there; the embedded
        // default's run of this suite rebuilds a smaller bank the same way.
        var total = TestSettings.OnPostgres ? 100_000 : 2_000;
        var run = Guid.NewGuid().ToString("N")[..6];
        var batches = new BatchService.BatchServiceClient(_bank.Channel.Intercept(_callers));
        var upload = batches.UploadBatch(cancellationToken: _ct);
        await upload.RequestStream.WriteAsync(new() { Header = new() { RequestId = Guid.NewGuid().ToString(), InstitutionCode = Requests.TrustedCollege, TotalLines = total } }, _ct);
        foreach (var n in Enumerable.Range(1, total))
        {
            await upload.RequestStream.WriteAsync(new() { Line = BatchLines.Semester(n, run) }, _ct);
        }

        await upload.RequestStream.CompleteAsync();
        Assert.Equal(total, (await upload).Batch.Accepted);
        var banked = await BankedByEventsAsync(TimeSpan.FromMinutes(5));
        var toRevoke = banked.Where(o => !o.Revoked).Select(o => o.OutcomeId.ToString()).Take(100).ToList();
        foreach (var id in toRevoke.Take(50))
        {
            await RevokeAsync(id);
        }

        var clock = Stopwatch.StartNew();
        await using var rebuilt = await RebuiltConversionAsync(pageSize: 10_000, pollInterval: TimeSpan.FromMilliseconds(200));
        // Revocations while the new copy is being built: the feed brings them after the recognitions it has applied.
        foreach (var id in toRevoke.Skip(50))
        {
            await RevokeAsync(id);
        }

        await BankedByEventsAsync(TimeSpan.FromMinutes(2));
        var copy = await SameCopyAsync(rebuilt, TimeSpan.FromMinutes(5));
        var elapsed = clock.Elapsed;
        TestContext.Current.SendDiagnosticMessage($"Rebuilt {copy.Count:N0} outcomes from the feed in {elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"Rebuilt {copy.Count:N0} outcomes from the feed in {elapsed.TotalSeconds:F1} s");

        Assert.True(copy.Count >= total);
        Assert.Equal(100, copy.Count(o => o.Revoked && toRevoke.Contains(o.OutcomeId.ToString())));
    }

    /// <summary>A conversion with a database of its own, empty, reading the feed from <see cref="_bank"/> as the client <c>conversion-feed</c>.</summary>
    private Task<ServiceHost> RebuiltConversionAsync(int pageSize, TimeSpan pollInterval) =>
        ServiceHost.StartAsync(b => b.AddConversion(), a => a.MapConversion(), new Dictionary<string, string?>
        {
            ["Conversion:OutcomeFeed:RecognitionUrl"] = _bank.BaseAddress.ToString(),
            ["Conversion:OutcomeFeed:ClientSecret"] = "demo-feed-secret",
            ["Conversion:OutcomeFeed:PageSize"] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Conversion:OutcomeFeed:PollInterval"] = pollInterval.ToString(),
        }, services: b => b.Services.AddHttpClient(OutcomeFeedFollower.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => _bank.Handler).SetHandlerLifetime(Timeout.InfiniteTimeSpan));

    /// <summary>The institution that submitted the outcome revokes it.</summary>
    private Task RevokeAsync(string outcomeId, string institution = Requests.TrustedCollege) =>
        Institutions.RevokeOutcomeAsync(new()
        {
            OutcomeId = outcomeId, InstitutionCode = institution, Reason = RevocationReason.Fraud, Comment = "证书造假",
        }, cancellationToken: _ct).ResponseAsync;

    private List<OutcomeRevoked> EventsOfRevocation() =>
        [.. _bank.Services.GetRequiredService<EventProbe<OutcomeRevoked>>().Received.Select(r => r.Message)];

    /// <summary>The bank's conversion copy once it holds every outcome the feed says was banked, and every revocation.</summary>
    private async Task<List<Row>> BankedByEventsAsync(TimeSpan? timeout = null)
    {
        await using var scope = _bank.Services.CreateAsyncScope();
        var recognition = scope.ServiceProvider.GetRequiredService<RecognitionDb>();
        var recognised = await recognition.OutcomeChanges.CountAsync(c => c.Change == Recognition.Domain.OutcomeChangeKind.Recognised, _ct);
        var revoked = await recognition.OutcomeChanges.CountAsync(c => c.Change == Recognition.Domain.OutcomeChangeKind.Revoked, _ct);
        await Eventually.Until(() => CountsAsync(_bank), c => c == (recognised, revoked), timeout ?? TimeSpan.FromSeconds(30), "conversion's copy built from events");
        return await CopyAsync(_bank);
    }

    /// <summary>Waits until the rebuilt copy has as many rows and revocations as the one built from events, then compares every row.</summary>
    private async Task<List<Row>> SameCopyAsync(ServiceHost rebuilt, TimeSpan timeout)
    {
        var expected = await CountsAsync(_bank);
        await Eventually.Until(() => CountsAsync(rebuilt), c => c == expected, timeout, $"the rebuilt copy to hold {expected}");
        var fromEvents = await CopyAsync(_bank);
        var fromFeed = await CopyAsync(rebuilt);
        Assert.Equal(fromEvents.Count, fromFeed.Count);
        Assert.Equal(fromEvents, fromFeed);
        return fromFeed;
    }

    private async Task<(int Rows, int Revoked)> CountsAsync(ServiceHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConversionDb>();
        return (await db.LearnerOutcomes.CountAsync(_ct), await db.LearnerOutcomes.CountAsync(o => o.Revoked, _ct));
    }

    private async Task<long> CursorReadAsync(ServiceHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConversionDb>().OutcomeFeedCursors.Select(c => c.ChangesRead).SingleAsync(_ct);
    }

    /// <summary>Every row of a conversion's copy, every column, in outcome order.</summary>
    private async Task<List<Row>> CopyAsync(ServiceHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<ConversionDb>().LearnerOutcomes.AsNoTracking().ToListAsync(_ct);
        return [.. rows.Select(o => new Row(o.OutcomeId, o.LearnerDocumentType, o.LearnerDocumentHash, o.Kind, o.StandardCode, o.Level, o.InstitutionCode,
            o.CourseCode, o.GradeScheme, o.GradeValue, o.Hours, o.Credits, o.AchievedOn, o.Title, o.Revoked)).OrderBy(r => r.OutcomeId)];
    }

    private sealed record Row(Guid OutcomeId, string LearnerDocumentType, string LearnerDocumentHash, string Kind, string? StandardCode, int Level,
        string InstitutionCode, string? CourseCode, string? GradeScheme, string? GradeValue, int Hours, decimal Credits, DateOnly AchievedOn, string Title, bool Revoked);
}
