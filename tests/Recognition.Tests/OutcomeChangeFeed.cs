using CreditBank.Contracts.Recognition.V1;
using CreditBank.TestSupport;
using Grpc.Core;
using Xunit;

namespace CreditBank.Recognition.Tests;

/// <summary>The outcome change feed (成果变更流) read by the conversion service's client, as writers keep writing.</summary>
public sealed class OutcomeChangeFeed(RecognitionHost recognition) : IClassFixture<RecognitionHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private async Task<RecognitionService.RecognitionServiceClient> FeedReader() =>
        new(recognition.Host.Channel.WithToken(await Tokens.ForClientAsync(recognition.Host.Rest, "conversion-feed", "demo-feed-secret")));

    [Fact]
    public async Task A_reader_paging_while_many_writers_commit_misses_no_change_and_rereading_gives_the_same_order()
    {
        var reader = await FeedReader();
        var submitted = new System.Collections.Concurrent.ConcurrentBag<string>();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                var answer = await recognition.SubmitAsync(Requests.Course(documentNumber: Requests.ResidentId(400 + w)), _ct);
                submitted.Add(answer.OutcomeId);
            }
        }, _ct)).ToList();

        var read = new List<OutcomeChange>();
        var token = string.Empty;
        var writing = Task.WhenAll(writers);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            var done = writing.IsCompleted;
            var page = await reader.ListOutcomeChangesAsync(new() { PageToken = token, PageSize = 7 }, cancellationToken: _ct);
            read.AddRange(page.Changes);
            Assert.NotEmpty(page.NextPageToken);
            token = page.NextPageToken;
            // Caught up after the last commit, and every outcome seen: a change still hidden behind an older
            // transaction (PostgreSQL) shows up on a later page, never before the cursor.
            if (done && page.CaughtUp && submitted.All(read.Select(c => c.OutcomeId).ToHashSet().Contains))
            {
                break;
            }

            if (page.CaughtUp)
            {
                await Task.Delay(20, _ct);
            }
        }

        await writing;
        // Read again from the start, as far as the first reading went (on PostgreSQL other tests' transactions may hold
        // the feed back for a moment).
        var again = new List<OutcomeChange>();
        token = string.Empty;
        var until = DateTime.UtcNow.AddSeconds(60);
        while (again.Count < read.Count && DateTime.UtcNow < until)
        {
            var page = await reader.ListOutcomeChangesAsync(new() { PageToken = token, PageSize = 10_000 }, cancellationToken: _ct);
            again.AddRange(page.Changes);
            token = page.NextPageToken;
            if (page.CaughtUp && again.Count < read.Count)
            {
                await Task.Delay(200, _ct);
            }
        }

        var recognised = read.Where(c => c.Kind == OutcomeChangeKind.Recognised).Select(c => c.OutcomeId).ToList();
        Assert.Equal(200, submitted.Count);
        // Every submitted outcome was read, each once.
        Assert.Subset(recognised.ToHashSet(), submitted.ToHashSet());
        Assert.Equal(recognised.Count, recognised.Distinct().Count());
        Assert.Equal(read.Select(c => (c.OutcomeId, c.Kind)), again.Take(read.Count).Select(c => (c.OutcomeId, c.Kind)));
    }

    [Fact]
    public async Task A_recognised_then_revoked_outcome_appears_twice_with_what_conversion_keeps_of_it()
    {
        var reader = await FeedReader();
        var number = Requests.ResidentId(451);
        var answer = await recognition.SubmitAsync(Requests.Course(documentNumber: number, credits: 3, courseCode: "SE201"), _ct);
        await recognition.Client.RevokeOutcomeAsync(new RevokeOutcomeRequest
        {
            OutcomeId = answer.OutcomeId, Admin = "admin", Reason = RevocationReason.Fraud, Comment = "成绩单伪造",
        }, cancellationToken: _ct);

        // On PostgreSQL the feed serves a change only once every transaction older than it has ended, and other tests
        // write at the same time: read on from the last token until both changes are served (or a generous limit).
        var changes = new List<OutcomeChange>();
        var token = string.Empty;
        var until = DateTime.UtcNow.AddSeconds(60);
        while (changes.Count < 2 && DateTime.UtcNow < until)
        {
            var page = await reader.ListOutcomeChangesAsync(new() { PageToken = token, PageSize = 10_000 }, cancellationToken: _ct);
            changes.AddRange(page.Changes.Where(c => c.OutcomeId == answer.OutcomeId));
            token = page.NextPageToken;
            if (page.CaughtUp && changes.Count < 2)
            {
                await Task.Delay(200, _ct);
            }
        }

        Assert.Equal([OutcomeChangeKind.Recognised, OutcomeChangeKind.Revoked], changes.Select(c => c.Kind));
        var recognised = changes[0];
        Assert.Equal((Requests.TrustedCollege, "RESIDENT_ID_CARD", 3d, "SE201", "PERCENTAGE", "87", 64),
            (recognised.InstitutionCode, recognised.LearnerDocumentType, recognised.Credits, recognised.CourseCode, recognised.GradeScheme, recognised.GradeValue, recognised.Hours));
        Assert.NotEmpty(recognised.LearnerDocumentHash);
        Assert.DoesNotContain(number, recognised.ToString());
        Assert.Equal("FRAUD", changes[1].ReasonCode);
    }

    [Fact]
    public async Task A_page_token_from_another_list_is_refused_as_invalid()
    {
        var reader = await FeedReader();

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            reader.ListOutcomeChangesAsync(new() { PageToken = "bm90LWEtdG9rZW4" }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_PAGE_TOKEN"), (refused.StatusCode, refused.ErrorInfo()?.Reason));
    }

    [Fact]
    public async Task An_institution_may_not_read_the_feed()
    {
        var institution = await recognition.As(Requests.TrustedCollege);

        var refused = await Assert.ThrowsAsync<RpcException>(() => institution.ListOutcomeChangesAsync(new(), cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }
}
