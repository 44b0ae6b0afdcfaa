using System.Globalization;
using System.Text;
using CreditBank.LoadGenerator.Measures;

namespace CreditBank.LoadGenerator.Report;

/// <summary>One line of the targets table: our figure, the baseline it is measured against, and the target.</summary>
public sealed record Verdict(string Figure, string Ours, string Baseline, double? Ratio, string Target, bool? Met, double? ChartRatio = null, double? ChartTarget = null);

/// <summary>Writes <c>docs/benchmarks.md</c> and its chart from one run.</summary>
public static partial class BenchmarkReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static IReadOnlyList<Verdict> Verdicts(BenchRun run)
    {
        var verdicts = new List<Verdict>();
        var rabbit = run.RabbitMqBaseline?.MessagesPerSecond;
        var copy = run.PostgresBaseline.FirstOrDefault()?.RowsPerSecond;
        if (run.Batch is { } batch)
        {
            var rate = batch.CreditedPerSecond;
            verdicts.Add(new("Batch pipeline: outcomes credited/s", N(rate), rabbit is { } r ? $"{N(r)} msg/s raw RabbitMQ" : "—", rate / rabbit,
                "≥ 10,000/s and ≥ 1/3 of raw RabbitMQ", rate >= 10_000 && (rabbit is null || rate >= rabbit / 3), rate / rabbit, 1 / 3.0));
            verdicts.Add(new("Batch pipeline vs raw PostgreSQL COPY of the ledger rows", N(rate), copy is { } c ? $"{N(c)} rows/s COPY" : "—", rate / copy,
                "(context)", null, rate / copy));
        }

        if (run.SubmitMax is { } max)
        {
            verdicts.Add(new("Single submits sustained (submitted and credited)/s", N(max.SustainedPerSecond), rabbit is { } r ? $"{N(r)} msg/s raw RabbitMQ" : "—",
                max.SustainedPerSecond / rabbit, "≥ 2,000/s", max.SustainedPerSecond >= 2_000, max.SustainedPerSecond / rabbit));
        }

        if (run.Offered is { } offered)
        {
            verdicts.Add(new($"Submit→credited p99 at {N(offered.OfferedPerSecond)}/s offered", Ms(offered.SubmitToCredited.P99), "—", null, "≤ 250 ms",
                offered.SubmitToCredited.P99 <= 250 && offered.Failed == 0));
        }

        foreach (var callers in new[] { 32, 128 })
        {
            var empty = run.EmptyCalls.FirstOrDefault(e => e.Callers == callers);
            var warm = run.Reads.FirstOrDefault(r => r.Bank == "small" && r.Cached && r.Result.Callers == callers)?.Result;
            if (warm is null)
            {
                continue;
            }

            verdicts.Add(new($"GetAccount, warm cache, {callers} callers: requests/s", N(warm.PerSecond), empty is null ? "—" : $"{N(empty.PerSecond)}/s empty gRPC call",
                warm.PerSecond / empty?.PerSecond, "≥ 50% of the empty call", empty is null ? null : warm.PerSecond >= empty.PerSecond / 2, warm.PerSecond / empty?.PerSecond, 0.5));
            if (callers == 32)
            {
                verdicts.Add(new("GetAccount, warm cache, 32 callers: p99", Ms(warm.Latency.P99), empty is null ? "—" : $"{Ms(empty.Latency.P99)} empty gRPC call",
                    warm.Latency.P99 / empty?.Latency.P99, "≤ 5 ms", warm.Latency.P99 <= 5));
            }
        }

        if (run.HotPaths.FirstOrDefault(h => h.Benchmark.Contains("ConversionEvaluation", StringComparison.Ordinal)) is { } evaluation)
        {
            verdicts.Add(new("Conversion evaluation, 200 outcomes × 10,000 rules: median", Ms(evaluation.MedianNanoseconds / 1e6), "—", null, "≤ 1 ms",
                evaluation.MedianNanoseconds <= 1e6));
        }

        foreach (var (service, megabytes) in run.PeakMegabytes.OrderBy(p => p.Key))
        {
            verdicts.Add(new($"{service}: peak resident memory", $"{megabytes:0} MB", "—", null, "< 300 MB", megabytes < 300));
        }

        AddScale(run, verdicts);
        AddFeed(run, verdicts);
        AddCredentials(run, verdicts);
        AddPortal(run, verdicts);
        return verdicts;
    }

    private static void AddPortal(BenchRun run, List<Verdict> verdicts)
    {
        if (run.Portal?.AccountPage is { } pages)
        {
            verdicts.Add(new($"Portal account page, {pages.Callers} signed-in learners browsing at once: p95 (loopback client)",
                Ms(pages.Latency.P95), "—", null, "≤ 150 ms p95", pages.Latency.P95 <= 150 && pages.Failed == 0));
        }
    }

    private static void AddCredentials(BenchRun run, List<Verdict> verdicts)
    {
        if (run.Credentials?.Transcripts is { } transcripts)
        {
            verdicts.Add(new($"Transcript of {run.Credentials.Outcomes} outcomes as its .jwt (IssueTranscriptFile, learner's token), {transcripts.Callers} callers: p99",
                Ms(transcripts.Latency.P99), "—", null, "≤ 20 ms p99", transcripts.Latency.P99 <= 20 && transcripts.Failed == 0));
        }

        if (run.Credentials?.OfferedTranscripts is { } offered)
        {
            verdicts.Add(new($"Transcript of {run.Credentials.Outcomes} outcomes as its .jwt at {N(offered.OfferedPerSecond)}/s offered (open loop): p99",
                Ms(offered.Latency.P99), "—", null, "—", null));
        }

        if (run.Credentials?.TranscriptAnswers is { } answers)
        {
            verdicts.Add(new($"Transcript of {run.Credentials.Outcomes} outcomes in IssueTranscript's answer (a proto string), {answers.Callers} callers: p99",
                Ms(answers.Latency.P99), "—", null, "—", null));
        }

        if (run.Credentials?.StatusList is { } lists)
        {
            verdicts.Add(new($"Status list GETs, {lists.Callers} callers: requests/s", N(lists.PerSecond), "—", null, "≥ 5,000/s",
                lists.PerSecond >= 5_000 && lists.Failed == 0));
        }
    }

    private static void AddScale(BenchRun run, List<Verdict> verdicts)
    {
        foreach (var cached in new[] { true, false })
        {
            var small = run.Reads.FirstOrDefault(r => r.Bank == "small" && r.Cached == cached && r.Result.Callers == 32)?.Result;
            var large = run.Reads.FirstOrDefault(r => r.Bank == "scale" && r.Cached == cached && r.Result.Callers == 32)?.Result;
            if (small is null || large is null)
            {
                continue;
            }

            var cache = cached ? "warm cache" : "no cache";
            verdicts.Add(new($"Scale: GetAccount ({cache}, 32 callers) requests/s", N(large.PerSecond), $"{N(small.PerSecond)}/s small bank",
                large.PerSecond / small.PerSecond, "≥ 1/1.5 of the small bank", large.PerSecond >= small.PerSecond / 1.5, large.PerSecond / small.PerSecond, 1 / 1.5));
            verdicts.Add(new($"Scale: GetAccount ({cache}, 32 callers) p99", Ms(large.Latency.P99), $"{Ms(small.Latency.P99)} small bank",
                large.Latency.P99 / small.Latency.P99, "≤ 1.5× the small bank", large.Latency.P99 <= small.Latency.P99 * 1.5));
        }

        if (run.SubmitMax is { } smallMax && run.ScaleSubmitMax is { } largeMax)
        {
            verdicts.Add(new("Scale: single submits sustained/s", N(largeMax.SustainedPerSecond), $"{N(smallMax.SustainedPerSecond)}/s small bank",
                largeMax.SustainedPerSecond / smallMax.SustainedPerSecond, "≥ 1/1.5 of the small bank",
                largeMax.SustainedPerSecond >= smallMax.SustainedPerSecond / 1.5, largeMax.SustainedPerSecond / smallMax.SustainedPerSecond, 1 / 1.5));
        }

        if (run.Offered is { } smallOffered && run.ScaleOffered is { } largeOffered)
        {
            verdicts.Add(new("Scale: submit→credited p99 at 500/s", Ms(largeOffered.SubmitToCredited.P99), $"{Ms(smallOffered.SubmitToCredited.P99)} small bank",
                largeOffered.SubmitToCredited.P99 / smallOffered.SubmitToCredited.P99, "≤ 1.5× the small bank and ≤ 250 ms",
                largeOffered.SubmitToCredited.P99 <= Math.Max(smallOffered.SubmitToCredited.P99 * 1.5, 0) && largeOffered.SubmitToCredited.P99 <= 250
                && largeOffered.Failed == 0));
        }
    }

    public static string Markdown(BenchRun run, string chartFile)
    {
        var md = new StringBuilder();
        md.AppendLine("# Benchmarks");
        md.AppendLine();
        md.AppendLine($"Written by `make bench` ({run.Size} size) on {run.StartedAt:yyyy-MM-dd HH:mm} UTC at commit `{run.Commit}`; the run took {run.Duration.TotalMinutes:0.0} min. ")
            .AppendLine("Do not edit by hand: run `make bench` again. How the figures are made, what bounds them and what would move them: ")
            .AppendLine("[performance.md](performance.md).");
        md.AppendLine();
        md.AppendLine("**Machine.** Everything — the four services (each its own Release process), PostgreSQL, RabbitMQ, Redis and the load ")
            .AppendLine("generator — on one box:");
        md.AppendLine();
        foreach (var line in run.Machine)
        {
            md.AppendLine($"- {line}");
        }

        md.AppendLine();
        if (run.WarmUps.Count > 0)
        {
            md.AppendLine("**Warm-ups** (unmeasured): rounds of the scenario's own load — the first from as many callers as the measured ")
                .AppendLine($"scenarios use, so that pools grow to them, the rest from {Bench.WarmUpCallers} — until the services' tiered-compilation threads used ")
                .AppendLine($"under {BenchRun.QuietJitCores:0.00} cores in a round, as in a service that has run for a while:");
            md.AppendLine(string.Join("; ", run.WarmUps.Select(w =>
                $"{w.Name}: {w.Rounds} round{(w.Rounds == 1 ? "" : "s")}, {w.Seconds:0} s, JIT {w.JitCores:0.00} cores in the last{(w.JitCores >= BenchRun.QuietJitCores ? " (not quiet: time limit reached)" : "")}")) + ".");
            md.AppendLine();
        }

        if (run.Settles.Count > 0)
        {
            md.AppendLine("**Settling** (unmeasured), so that a scenario does not measure the database's clean-up after the one before it: ")
                .AppendLine("after the batch every service database is vacuumed and analysed, and checkpointed (what autovacuum and the spread checkpoint ")
                .AppendLine("would do over the next minutes), ")
                .AppendLine($"and each measured scenario starts once no autovacuum worker has run for a second (at most {BenchRun.SettleLimit.TotalSeconds:0} s). Waits: ");
            md.AppendLine(string.Join("; ", run.Settles.Select(w =>
                $"{w.Scenario} {w.Seconds:0.0} s{(w.Idle ? "" : " (a vacuum still ran: time limit reached)")}")) + ".");
            md.AppendLine();
        }

        if (run.Failures.Count > 0)
        {
            md.AppendLine("**Parts of this run failed** (their figures are missing below):");
            md.AppendLine();
            foreach (var failure in run.Failures)
            {
                md.AppendLine($"- {failure}");
            }

            md.AppendLine();
        }

        md.AppendLine("## Targets");
        md.AppendLine();
        md.AppendLine($"![ours ÷ baseline, with the target ratio marked]({chartFile})");
        md.AppendLine();
        md.AppendLine("| figure | ours | baseline (same run) | ours ÷ baseline | target | met |");
        md.AppendLine("| --- | ---: | ---: | ---: | --- | --- |");
        foreach (var v in Verdicts(run))
        {
            md.AppendLine($"| {v.Figure} | {v.Ours} | {v.Baseline} | {(v.Ratio is { } r && double.IsFinite(r) ? r.ToString("0.00", Invariant) : "—")} | {v.Target} | {Met(v.Met)} |");
        }

        md.AppendLine();
        Baselines(run, md);
        Pipelines(run, md);
        Feed(run, md);
        Reads(run, md);
        Scale(run, md);
        HotPaths(run, md);
        Credentials(run, md);
        Portal(run, md);
        Cpu(run, md);
        return md.ToString();
    }

    private static void Baselines(BenchRun run, StringBuilder md)
    {
        md.AppendLine("## Baselines (raw, nothing of ours in between)");
        md.AppendLine();
        md.AppendLine("| baseline | figure |");
        md.AppendLine("| --- | ---: |");
        foreach (var insert in run.PostgresBaseline)
        {
            md.AppendLine($"| PostgreSQL, {insert.Method} of {N(insert.Rows)} ledger rows into a copy of `ledger_entries` (same indexes), 2,000 rows per transaction | {N(insert.RowsPerSecond)} rows/s |");
        }

        if (run.RabbitMqBaseline is { } rabbit)
        {
            md.AppendLine($"| RabbitMQ.Client, {N(rabbit.Messages)} × {rabbit.What}, published and consumed at once | {N(rabbit.MessagesPerSecond)} msg/s |");
        }

        foreach (var empty in run.EmptyCalls)
        {
            md.AppendLine($"| Empty unary gRPC call (grpc.health.v1 Check answered at once; HTTP/2-only Kestrel endpoint as the services), {empty.Callers} callers | {N(empty.PerSecond)}/s, p50 {Ms(empty.Latency.P50)}, p99 {Ms(empty.Latency.P99)} |");
        }

        md.AppendLine();
    }

    private static void Pipelines(BenchRun run, StringBuilder md)
    {
        md.AppendLine("## 1. Batch pipeline");
        md.AppendLine();
        if (run.Batch is { } b)
        {
            md.AppendLine($"{N(b.Lines)} course outcomes in {b.Institutions} batches uploaded at once (one per institution, client streaming `UploadBatch`), ")
                .AppendLine("credited when the deposit's ledger entry exists in the accounts database.");
            md.AppendLine();
            md.AppendLine("| lines | accepted | upload finished after | last ledger entry after | credited/s |");
            md.AppendLine("| ---: | ---: | ---: | ---: | ---: |");
            md.AppendLine($"| {N(b.Lines)} | {N(b.Accepted)} | {b.UploadSeconds:0.0} s | {b.CreditedSeconds:0.0} s | **{N(b.CreditedPerSecond)}** |");
            md.AppendLine();
            md.AppendLine("Peak resident memory during the batch: " +
                string.Join(", ", run.BatchPeakMegabytes.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value:0} MB")) + ".");
            md.AppendLine();
        }

        md.AppendLine("## 2. Single-submit pipeline");
        md.AppendLine();
        if (run.SubmitMax is { } max)
        {
            SubmitTable(md, "small bank", max, run.Offered);
        }
    }

    private static void SubmitTable(StringBuilder md, string bank, Scenarios.MaxRateResult max, Scenarios.OfferedLoadResult? offered)
    {
        md.AppendLine($"Highest rate ({bank}): {max.Submits.Callers} callers submitting back to back for {max.Submits.Seconds:0} s.");
        md.AppendLine();
        md.AppendLine("| submits answered/s | answer p50 / p99 | failed | credited/s (first submit → last deposit) | sustained/s |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: |");
        md.AppendLine($"| {N(max.Submits.PerSecond)} | {Ms(max.Submits.Latency.P50)} / {Ms(max.Submits.Latency.P99)} | {max.Submits.Failed}{Error(max.Submits.FirstError)} | {N(max.CreditedPerSecond)} | **{N(max.SustainedPerSecond)}** |");
        md.AppendLine();
        if (offered is { } o)
        {
            md.AppendLine($"Fixed offered load ({bank}): {N(o.OfferedPerSecond)}/s for {o.Seconds:0} s, sent on schedule whatever the answers (open loop). ")
                .AppendLine("Submit→credited is the deposit's `posted_at` minus the moment the submit was sent, on the same clock, over the accepted ")
                .AppendLine("submits; \"refused\" are those answered RESOURCE_EXHAUSTED by recognition's concurrency limit (or failed otherwise).");
            md.AppendLine();
            md.AppendLine("| sent | refused | answer p50 / p95 / p99 | submit→credited p50 | p95 | p99 | max |");
            md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            md.AppendLine($"| {N(o.Sent)} | {o.Failed}{Error(o.FirstError)} | {Ms(o.Answer.P50)} / {Ms(o.Answer.P95)} / {Ms(o.Answer.P99)} | {Ms(o.SubmitToCredited.P50)} | {Ms(o.SubmitToCredited.P95)} | **{Ms(o.SubmitToCredited.P99)}** | {Ms(o.SubmitToCredited.Max)} |");
            md.AppendLine();
        }
    }

    private static void Reads(BenchRun run, StringBuilder md)
    {
        md.AppendLine("## 3. Reads: GetAccount");
        md.AppendLine();
        if (run.ReadSet is { } set)
        {
            md.AppendLine($"Over {N(set.Accounts)} accounts holding {N(set.LedgerEntries)} ledger entries (10–200 each), read by a bank administrator's ")
                .AppendLine("token (JWT validated, ownership checked) in a fixed stride, so no caller reads the same account twice in a row.");
            md.AppendLine();
        }

        ReadTable(md, run.Reads.Where(r => r.Bank == "small"), run.EmptyCalls);
    }

    private static void ReadTable(StringBuilder md, IEnumerable<ReadRun> reads, IReadOnlyList<ClosedLoopResult> empty)
    {
        md.AppendLine("| cache | callers | requests/s | p50 | p99 | failed | ÷ empty gRPC call |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var read in reads)
        {
            var baseline = empty.FirstOrDefault(e => e.Callers == read.Result.Callers);
            md.AppendLine($"| {(read.Cached ? "Redis, warm" : "none (PostgreSQL)")} | {read.Result.Callers} | {N(read.Result.PerSecond)} | {Ms(read.Result.Latency.P50)} | {Ms(read.Result.Latency.P99)} | {read.Result.Failed}{Error(read.Result.FirstError)} | {(baseline is null ? "—" : (read.Result.PerSecond / baseline.PerSecond).ToString("0.00", Invariant))} |");
        }

        md.AppendLine();
    }

    private static void Scale(BenchRun run, StringBuilder md)
    {
        md.AppendLine("## 4. Scale");
        md.AppendLine();
        if (run.ScaleBank is not { } scale)
        {
            md.AppendLine("Not run.");
            md.AppendLine();
            return;
        }

        md.AppendLine($"The accounts database grown to {N(scale.Accounts)} accounts and {N(scale.LedgerEntries)} ledger entries ({scale.DatabaseSize}; generated ")
            .AppendLine($"by binary COPY in {scale.Seconds:0} s, then VACUUM (ANALYZE) and CHECKPOINT), and the reads and single submits measured again. Reads sample accounts across the whole bank.");
        md.AppendLine();
        ReadTable(md, run.Reads.Where(r => r.Bank == "scale"), run.EmptyCalls);
        if (run.ScaleSubmitMax is { } max)
        {
            SubmitTable(md, "scale bank", max, run.ScaleOffered);
        }
    }

    private static void HotPaths(BenchRun run, StringBuilder md)
    {
        md.AppendLine("## 5. Hot paths (BenchmarkDotNet, `tests/Benchmarks`)");
        md.AppendLine();
        if (run.HotPaths.Count == 0)
        {
            md.AppendLine("Not run.");
            md.AppendLine();
            return;
        }

        md.AppendLine("| benchmark | parameters | median | mean | allocated/op |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var h in run.HotPaths)
        {
            md.AppendLine($"| {h.Benchmark} | {h.Parameters} | {Time(h.MedianNanoseconds)} | {Time(h.MeanNanoseconds)} | {(h.AllocatedBytes is { } a ? Bytes(a) : "—")} |");
        }

        md.AppendLine();
    }

    private static void Credentials(BenchRun run, StringBuilder md)
    {
        md.AppendLine("## 6. Credentials: transcripts and status lists");
        md.AppendLine();
        if (run.Credentials is not { } c)
        {
            md.AppendLine("Not run.");
            md.AppendLine();
            return;
        }

        md.AppendLine($"The credentials service started after the other scenarios; one learner's {c.Outcomes} course outcomes submitted and banked. ")
            .AppendLine($"Transcripts issued with the learner's own token (each a new CLR 2.0 credential, {Bytes(c.TranscriptBytes)} as VC-JWT, embedding ")
            .AppendLine($"the {c.Outcomes} outcome credentials kept since their first issue, saved, and answered): as the .jwt file (`IssueTranscriptFile`), ")
            .AppendLine("first by a few callers back to back (what the machine issues flat out), then at a fixed rate whatever the answers (open ")
            .AppendLine("loop: each time counted from when the call was due); then by a few callers through `IssueTranscript`, whose answer holds the ")
            .AppendLine("VC-JWT as a proto string; then GETs of the public status list URL those credentials name, without a token or ")
            .AppendLine("`If-None-Match`, each body read.");
        md.AppendLine();
        md.AppendLine("| what | load | requests/s | p50 | p99 | failed |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        var rows = new (string What, string Load, double PerSecond, Percentiles Latency, long Failed, string? Error)?[]
        {
            c.Transcripts is { } t ? ($"IssueTranscriptFile, {c.Outcomes} outcomes", $"{t.Callers} callers", t.PerSecond, t.Latency, t.Failed, t.FirstError) : null,
            c.OfferedTranscripts is { } o ? ($"IssueTranscriptFile, {c.Outcomes} outcomes", $"{N(o.OfferedPerSecond)}/s offered", o.PerSecond, o.Latency, o.Failed, o.FirstError) : null,
            c.TranscriptAnswers is { } a ? ($"IssueTranscript, {c.Outcomes} outcomes", $"{a.Callers} callers", a.PerSecond, a.Latency, a.Failed, a.FirstError) : null,
            c.StatusList is { } l ? ("GET status list", $"{l.Callers} callers", l.PerSecond, l.Latency, l.Failed, l.FirstError) : null,
        };
        foreach (var row in rows.OfType<(string What, string Load, double PerSecond, Percentiles Latency, long Failed, string? Error)>())
        {
            md.AppendLine($"| {row.What} | {row.Load} | {N(row.PerSecond)} | {Ms(row.Latency.P50)} | {Ms(row.Latency.P99)} | {row.Failed}{Error(row.Error)} |");
        }

        md.AppendLine();
    }

    private static void Portal(BenchRun run, StringBuilder md)
    {
        md.AppendLine("## 7. Portal: signed-in learners browsing");
        md.AppendLine();
        if (run.Portal is not { } p)
        {
            md.AppendLine("Not run.");
            md.AppendLine();
            return;
        }

        md.AppendLine($"The portal started after the other scenarios as its own process, pointed at identity and the services' gRPC ports. ")
            .AppendLine($"{p.Learners} learners, each with {p.OutcomesEach} course outcomes banked, registered at identity, their account claimed, ")
            .AppendLine("each signed in through the OpenID Connect code flow (identity's sign-in form) by an HttpClient of its own (cookies, ")
            .AppendLine("connection), as a browser; then all of them at once GET their account page (totals, chart, first ledger page: ")
            .AppendLine("`GetAccount` and `ListLedgerEntries` with the learner's token), then its second ledger page. Times are measured by ")
            .AppendLine("the client on loopback (request sent → whole page read), which is the server's time plus a loopback round trip.");
        md.AppendLine();
        md.AppendLine("| page | learners | pages/s | p50 | p95 | p99 | failed |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (what, result) in new[] { ("account page", p.AccountPage), ("ledger page 2", p.LedgerPage) })
        {
            if (result is not null)
            {
                md.AppendLine($"| {what} | {result.Callers} | {N(result.PerSecond)} | {Ms(result.Latency.P50)} | {Ms(result.Latency.P95)} | {Ms(result.Latency.P99)} | {result.Failed}{Error(result.FirstError)} |");
            }
        }

        md.AppendLine();
    }

    private static void Cpu(BenchRun run, StringBuilder md)
    {
        md.AppendLine("## Where the time goes");
        md.AppendLine();
        md.AppendLine("CPU used per part of the system while each scenario ran, in cores (CPU seconds ÷ wall seconds; the machine has ")
            .AppendLine($"{Environment.ProcessorCount}). The part near the machine's limit is what bounds the figure.");
        md.AppendLine();
        var parts = run.Cpu.SelectMany(c => c.Seconds.Keys).Distinct().ToList();
        md.AppendLine($"| scenario | wall | {string.Join(" | ", parts)} | total |");
        md.AppendLine($"| --- | ---: | {string.Join(" | ", parts.Select(_ => "---:"))} | ---: |");
        foreach (var use in run.Cpu)
        {
            var cores = parts.Select(p => use.Seconds.GetValueOrDefault(p) / use.WallSeconds).ToList();
            md.AppendLine($"| {use.Scenario} | {use.WallSeconds:0.0} s | {string.Join(" | ", cores.Select(c => c.ToString("0.00", Invariant)))} | {cores.Sum():0.00} |");
        }

        md.AppendLine();
    }

    private static string Met(bool? met) => met switch { true => "yes", false => "**no**", null => "—" };

    private static string Error(string? error) => error is null ? string.Empty : $" ({error.Replace("|", "/", StringComparison.Ordinal)})";

    public static string N(double value) => double.IsFinite(value) ? value.ToString("N0", Invariant) : "—";

    private static string Ms(double milliseconds) => !double.IsFinite(milliseconds) ? "—"
        : milliseconds < 10 ? $"{milliseconds.ToString("0.00", Invariant)} ms" : $"{milliseconds.ToString("N0", Invariant)} ms";

    private static string Time(double nanoseconds) => nanoseconds switch
    {
        >= 1e6 => $"{(nanoseconds / 1e6).ToString("0.00", Invariant)} ms",
        >= 1e3 => $"{(nanoseconds / 1e3).ToString("0.00", Invariant)} µs",
        _ => $"{nanoseconds.ToString("0.0", Invariant)} ns",
    };

    private static string Bytes(double bytes) => bytes >= 1024 ? $"{(bytes / 1024).ToString("0.0", Invariant)} KB" : $"{bytes:0} B";
}
