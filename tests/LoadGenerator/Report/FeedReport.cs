using System.Text;

namespace CreditBank.LoadGenerator.Report;

/// <summary>The outcome change feed's part of the report: its row in the targets and its section.</summary>
public static partial class BenchmarkReport
{
    private static void AddFeed(BenchRun run, List<Verdict> verdicts)
    {
        if (run.FeedRead is { } feed)
        {
            verdicts.Add(new("Outcome change feed: changes read/s by one client", N(feed.ChangesPerSecond), "—", null, "≥ 50,000/s",
                feed.ChangesPerSecond >= 50_000));
        }
    }

    private static void Feed(BenchRun run, StringBuilder md)
    {
        if (run.FeedRead is not { } feed)
        {
            return;
        }

        md.AppendLine("## Outcome change feed");
        md.AppendLine();
        md.AppendLine("One client (conversion's own, scope `outcomes.feed`) reads recognition's `ListOutcomeChanges` from the first change ")
            .AppendLine($"until `caught_up`, {N(feed.PageSize)} changes a page, one call after the other over gRPC, after the batch ")
            .AppendLine("(every change the run has written so far: the warm-up's and the batch's outcomes).");
        md.AppendLine();
        md.AppendLine("| changes | pages | seconds | changes read/s |");
        md.AppendLine("| ---: | ---: | ---: | ---: |");
        md.AppendLine($"| {N(feed.Changes)} | {N(feed.Pages)} | {feed.Seconds:0.00} | **{N(feed.ChangesPerSecond)}** |");
        md.AppendLine();
    }
}
