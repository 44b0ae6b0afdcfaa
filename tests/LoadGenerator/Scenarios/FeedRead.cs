using System.Diagnostics;
using CreditBank.Contracts.Recognition.V1;
using Grpc.Core;

namespace CreditBank.LoadGenerator.Scenarios;

/// <summary>One reading of the whole outcome change feed: changes served, pages, and how long it took.</summary>
public sealed record FeedReadResult(int PageSize, long Changes, int Pages, double Seconds)
{
    public double ChangesPerSecond => Changes / Seconds;
}

/// <summary>
/// Scenario: one client (a new conversion database catching up) reads recognition's outcome change feed from its
/// first change until it is caught up, page after page with the largest page, as fast as the answers come.
/// </summary>
public static class FeedRead
{
    /// <summary>The largest page recognition serves.</summary>
    public const int LargestPage = 10_000;

    /// <param name="feedReader">Recognition's channel with a token of a client holding <c>outcomes.feed</c>.</param>
    /// <param name="pages">Stop after this many pages (a warm-up), or read to the end.</param>
    public static async Task<FeedReadResult> RunAsync(CallInvoker feedReader, int pageSize = LargestPage, int? pages = null, CancellationToken ct = default)
    {
        var recognition = new RecognitionService.RecognitionServiceClient(feedReader);
        var token = string.Empty;
        var changes = 0L;
        var read = 0;
        var clock = Stopwatch.StartNew();
        while (pages is null || read < pages)
        {
            var page = await recognition.ListOutcomeChangesAsync(new ListOutcomeChangesRequest { PageSize = pageSize, PageToken = token }, cancellationToken: ct);
            changes += page.Changes.Count;
            read++;
            token = page.NextPageToken;
            if (page.CaughtUp)
            {
                break;
            }
        }

        return new FeedReadResult(pageSize, changes, read, clock.Elapsed.TotalSeconds);
    }
}
