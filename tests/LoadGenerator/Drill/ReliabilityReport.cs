using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CreditBank.LoadGenerator.Drill;

/// <summary>One <c>make drill</c>: its phases, the cluster's, and what failed outright.</summary>
public sealed class DrillRun
{
    public required DrillSizes Size { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public string Commit { get; init; } = "unknown";

    public TimeSpan Duration { get; set; }

    public int PoisonedQueues { get; set; }

    public List<string> PoisonProblems { get; } = [];

    public List<PhaseResult> Phases { get; } = [];

    public ClusterResult? Cluster { get; set; }

    /// <summary>Parts that could not run to the end (an exception), e.g. a service that would not start again.</summary>
    public List<string> Errors { get; } = [];

    public IReadOnlyList<string> Failures() =>
    [
        .. Errors,
        .. PoisonProblems.Select(p => $"poison: {p}"),
        .. Phases.SelectMany(p => p.Problems.Select(problem => $"{p.Key}: {problem}")),
        .. Cluster?.Problems.Select(p => $"cluster: {p}") ?? [],
        .. Cluster?.Phase?.Problems.Select(p => $"cluster: {p}") ?? [],
    ];

    public bool Passed => Failures().Count == 0 && (Phases.Count > 0 || Cluster is not null);

    /// <summary>The commit the drill ran at, marked when the work tree had changes.</summary>
    public static string CommitOf(string repository)
    {
        static string Git(string repository, params string[] args)
        {
            try
            {
                using var git = Process.Start(new ProcessStartInfo("git", ["-C", repository, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                var output = git.StandardOutput.ReadToEnd().Trim();
                git.WaitForExit();
                return output;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return string.Empty;
            }
        }

        var commit = Git(repository, "rev-parse", "--short", "HEAD");
        return commit.Length == 0 ? "unknown" : commit + (Git(repository, "status", "--porcelain", "--untracked-files=no").Length > 0 ? " (with local changes)" : "");
    }
}

/// <summary>docs/reliability.md: the figures of one drill, per fault, and how to run it again.</summary>
public static class ReliabilityReport
{
    public static string Markdown(DrillRun run)
    {
        var md = new StringBuilder();
        md.AppendLine("# Reliability drill");
        md.AppendLine();
        md.AppendLine("Written by `make drill` (`scripts/drill.sh`, `tests/LoadGenerator/Drill`): the four services as separate Release processes on real");
        md.AppendLine("RabbitMQ, PostgreSQL and Redis, one fault per phase, each phase under its own load — a batch streamed by three institutions,");
        md.AppendLine("single submits, and revocations issued at once (every submit chosen is revoked as soon as SubmitOutcome answers, every batch");
        md.AppendLine("line chosen as soon as ListBatchLines shows it stored). The fault strikes when 40 % of the batch is sent; clients resume");
        md.AppendLine("broken batch streams with the same `request_id` and retry calls that found the bank unavailable, as a client with a retry");
        md.AppendLine("policy would. When the bank is at rest again the drill audits, by outcome id, each service's database directly.");
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Run at commit {run.Commit}, {run.StartedAt:yyyy-MM-dd HH:mm} UTC, size `{run.Size.Name}` ({run.Size.BatchLines:N0} batch lines and " +
            $"{run.Size.SubmitsPerSecond:0} submits/s per phase; every {run.Size.RevokeEverySubmit}th submit and every {run.Size.RevokeEveryBatchLine}th batch line " +
            $"revoked), {Environment.ProcessorCount} cores ({Environment.MachineName}){LoadOf(run)}; the whole drill took {run.Duration.TotalMinutes:0.0} min."));
        md.AppendLine();
        md.AppendLine(run.Passed
            ? "**Verdict: every figure is right** — nothing lost, nothing doubled, no revoked outcome usable, nothing parked but the poison."
            : $"**Verdict: FAILED** — {run.Failures().Count} problems, listed under [What went wrong](#what-went-wrong).");
        md.AppendLine();

        var phases = run.Phases.Concat(run.Cluster?.Phase is { } cluster ? [cluster] : []).ToList();
        if (phases.Count > 0)
        {
            Figures(md, phases);
        }

        if (run.Cluster is { } result)
        {
            Cluster(md, result);
        }

        md.AppendLine("## What went wrong");
        md.AppendLine();
        var failures = run.Failures();
        md.AppendLine(failures.Count == 0 ? "Nothing." : string.Join(Environment.NewLine, failures.Select(f => $"- {f}")));
        md.AppendLine();
        foreach (var phase in phases.Where(p => p.Parked.UnexpectedKinds.Count > 0))
        {
            md.AppendLine($"Parked during `{phase.Key}` (queue: event (exception)):");
            md.AppendLine();
            foreach (var kind in phase.Parked.UnexpectedKinds)
            {
                md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- {kind.Value:N0} × {kind.Key}"));
            }

            md.AppendLine();
        }

        Rerun(md);
        Reading(md);
        return md.ToString();
    }

    private static void Figures(StringBuilder md, IReadOnlyList<PhaseResult> phases)
    {
        md.AppendLine("## Figures per fault");
        md.AppendLine();
        foreach (var phase in phases)
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- `{phase.Key}`: {phase.Title}; back after {phase.Timeline.Outage.TotalSeconds:0.0} s{(phase.Timeline.Note is { } note ? $" ({note})" : "")}."));
            md.AppendLine($"  Readiness after the strike (seconds from it): {(phase.Health.TransitionsAfter(phase.Timeline.Struck) is { Length: > 0 } seen ? seen : "every service SERVING throughout")}" +
                $"{(phase.Health.SlowProbes is { Length: > 0 } slow ? $"; probes slower than 5 s: {slow}" : "")}.");
        }

        md.AppendLine();
        md.AppendLine("| figure | " + string.Join(" | ", phases.Select(p => $"`{p.Key}`")) + " |");
        md.AppendLine("| --- |" + string.Concat(phases.Select(_ => " ---: |")));
        void Row(string figure, Func<PhaseResult, string> value) => md.AppendLine($"| {figure} | {string.Join(" | ", phases.Select(value))} |");
        static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        static string Must0(long n) => n == 0 ? "0" : $"**{n:N0}**";

        Row("batch lines sent / accepted", p => $"{N(p.Load.BatchLines)} / {N(p.Load.BatchAccepted)}");
        Row("batch streams resumed", p => N(p.Load.BatchResumes));
        Row("single submits answered", p => N(p.Load.SubmitsAnswered));
        Row("calls retried (bank unavailable)", p => N(p.Load.Retries));
        Row("outcomes stored (recognition)", p => N(p.Audit.Outcomes));
        Row("recognised", p => N(p.Audit.Recognised));
        Row("deposited", p => N(p.Audit.Deposited));
        Row("**missing deposits**", p => Must0(p.Audit.MissingDeposits));
        Row("**doubled deposits**", p => Must0(p.Audit.DoubledDeposits));
        Row("**wrong deposits**", p => Must0(p.Audit.WrongDeposits));
        Row("revocations issued: of submits / of batch lines", p => $"{N(p.Load.SubmitRevocations)} / {N(p.Load.BatchRevocations)}");
        Row("revoked (recognition)", p => N(p.Audit.Revoked));
        Row("… revoked before their deposit was banked", p => N(p.Audit.RevokedBeforeDeposit));
        Row("**reversals missing**", p => Must0(p.Audit.MissingReversals));
        Row("**reversals doubled**", p => Must0(p.Audit.DoubledReversals));
        Row("**wrong reversals**", p => Must0(p.Audit.WrongReversals));
        Row("**missing from conversion's copy**", p => Must0(p.Audit.MissingCopies));
        Row("**revoked but usable for conversion**", p => Must0(p.Audit.RevokedButUsable));
        Row("**holdings ≠ ledger** (accounts, all phases)", p => $"{Must0(p.Audit.HoldingsMismatches)} of {N(p.Audit.Accounts)}");
        Row("**stale GetAccount answers** (accounts read)", p => $"{Must0(p.Audit.StaleReads)} of {N(p.Audit.AccountsReadBack)}");
        Row("**parked in `_error`, not poison**", p => Must0(p.Parked.Unexpected));
        Row("`_error` depth (poison included, all phases)", p => N(p.Parked.Depth));
        Row($"credited/s, {CreditSampler.Window.TotalSeconds:0} s before → after the fault", p => string.Create(CultureInfo.InvariantCulture, $"{p.Credited.BeforePerSecond:N0} → {p.Credited.AfterPerSecond:N0}"));
        Row("longest wait for a deposit after the fault", p => string.Create(CultureInfo.InvariantCulture, $"{p.Credited.LongestStall.TotalSeconds:0} s"));
        Row("every service SERVING again, after the strike", p => string.Create(CultureInfo.InvariantCulture, $"{p.Health.AllServingAfter(p.Timeline.Struck).TotalSeconds:0} s"));
        Row("time to quiesce after the load", p => p.Quiet.Reached ? string.Create(CultureInfo.InvariantCulture, $"{p.Quiet.After.TotalSeconds:0} s") : "**not reached**");
        Row("phase duration", p => string.Create(CultureInfo.InvariantCulture, $"{p.Duration.TotalSeconds:0} s"));
        Row("machine load (1-min average) during the phase", p => string.Create(CultureInfo.InvariantCulture, $"{p.Health.LoadMin:0.0}-{p.Health.LoadMax:0.0}"));
        Row("verdict", p => p.Passed ? "passed" : "**FAILED**");
        md.AppendLine();
    }

    private static void Cluster(StringBuilder md, ClusterResult cluster)
    {
        md.AppendLine("## A three-node RabbitMQ cluster, one node stopped mid-batch");
        md.AppendLine();
        md.AppendLine("`scripts/rabbitmq-cluster.sh` runs three RabbitMQ 3.10 nodes (Debian's package) on loopback, joined with");
        md.AppendLine("`rabbitmqctl join_cluster`; the services are given all three (`Messaging:RabbitMqClusterNodes`) and declare their quorum");
        md.AppendLine("queues on it. The node holding the services' connections is stopped for good at 40 % of the batch; the audit is the");
        md.AppendLine("same as every phase's (column `cluster` above).");
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- Consumer queues: {cluster.ConsumerQueues}, of which quorum queues with a member on each of the three nodes: {cluster.ReplicatedOnThree}."));
        md.AppendLine($"- Client connections before the stop: {Or(cluster.ConnectionsBefore)}. Queue leaders before: {Or(cluster.LeadersBefore)}; after: {Or(cluster.LeadersAfter)}.");
        if (cluster.Phase is { } phase)
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- {phase.Timeline.Note ?? phase.Title}."));
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- Credited: {phase.Credited.BeforePerSecond:N0} outcomes/s in the {CreditSampler.Window.TotalSeconds:0} s " +
                $"before the stop, {phase.Credited.AfterPerSecond:N0}/s in the {CreditSampler.Window.TotalSeconds:0} s after (or until the last deposit); " +
                $"the longest wait for a deposit after the stop: {phase.Credited.LongestStall.TotalSeconds:0} s."));
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- Lost: {phase.Audit.MissingDeposits:N0} deposits, {phase.Audit.MissingReversals:N0} reversals; doubled: " +
                $"{phase.Audit.DoubledDeposits:N0} deposits, {phase.Audit.DoubledReversals:N0} reversals; verdict: {(cluster.Passed ? "passed" : "FAILED")}."));
        }

        md.AppendLine();
    }

    private static void Rerun(StringBuilder md)
    {
        md.AppendLine("## How to run it again");
        md.AppendLine();
        md.AppendLine("```sh");
        md.AppendLine("make drill                                 # every fault, then the cluster; rewrites this file (exit code 1 if any figure is wrong)");
        md.AppendLine("SIZE=quick make drill                      # the whole harness with 10,000-line batches, in a few minutes");
        md.AppendLine("DRILL_ONLY=accounts,cluster make drill     # some parts: accounts recognition conversion identity rabbitmq redis postgres cluster");
        md.AppendLine("DRILL_OUT=/tmp/reliability.md make drill   # keep docs/ as it is");
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine("It starts its own PostgreSQL, Redis and RabbitMQ (`scripts/infra.sh`, ports from `CREDITBANK_PG_PORT`, `CREDITBANK_REDIS_PORT`,");
        md.AppendLine("`CREDITBANK_RABBIT_PORT`), the services on the 8 ports from `DRILL_PORT` (default: the RabbitMQ port + 100) and the cluster's");
        md.AppendLine("nodes from `DRILL_CLUSTER_PORT` (default: the RabbitMQ port + 130; epmd there, node N's AMQP port at +10N+1), and stops them all");
        md.AppendLine("at the end. The services' logs stay in the work folder it names. `make test` runs a short version (one kill of accounts");
        md.AppendLine("and one broker restart with immediate revocations, same audit): `tests/Integration.Tests/FaultDrill.cs`.");
        md.AppendLine();
    }

    private static void Reading(StringBuilder md)
    {
        md.AppendLine("## How the audit reads");
        md.AppendLine();
        md.AppendLine("- Scope: the outcomes recognition stored during the phase (`outcomes.submitted_at`). Recognised: status recognised, or revoked");
        md.AppendLine("  with credits (it was recognised before). Every figure in bold must be 0.");
        md.AppendLine("- Deposits and reversals: accounts' `ledger_entries` by `outcome_id` — exactly one deposit of the recognised credits per");
        md.AppendLine("  recognised outcome, exactly one reversal of that amount per revoked one, none for anything else.");
        md.AppendLine("- Conversion's copy: `learner_outcomes` holds every recognised outcome, `revoked = true` exactly for the revoked ones; a");
        md.AppendLine("  revoked outcome with `revoked = false` there is usable for an exemption.");
        md.AppendLine("- Holdings: every account's per-kind and converted credits equal the sums of its ledger entries (all accounts, every phase");
        md.AppendLine("  so far). Stale answers: accounts touched by the phase's reversals read back through GetAccount (Redis and in-process");
        md.AppendLine("  caches) against the ledger.");
        md.AppendLine("- Parked: every `_error` and `_skipped` queue read with a plain AMQP client and given back; the one malformed message the");
        md.AppendLine("  drill put into each consumer queue before the first phase must be in that queue's `_error`, and nothing else anywhere.");
        md.AppendLine("- Not vacuous: a phase fails if nothing was revoked, if no revocation was issued before its deposit was banked, if recognition");
        md.AppendLine("  stored another number of outcomes than the clients were answered, or if the bank did not come to rest within 5 minutes.");
        md.AppendLine("- At rest: no message ready or unacknowledged in any consumer queue (`rabbitmqctl list_queues`), no unpublished outbox row");
        md.AppendLine("  in any service, and the ledger and conversion's copy unchanged over three looks a second apart. Time to quiesce counts");
        md.AppendLine("  from the end of the load.");
        md.AppendLine("- Readiness: each service's grpc.health.v1 (service `\"\"`, what a readiness probe asks) once a second through the phase,");
        md.AppendLine("  every change noted (no answer: nothing listens on its port; a probe a running process leaves unanswered for 5 s is");
        md.AppendLine("  counted as slow, not as a change). A phase fails if a service is not");
        md.AppendLine("  SERVING once the bank is at rest. The machine's 1-minute load average is read alongside: the drill shares its cores.");
    }

    /// <summary>The machine's 1-minute load average over the phases: the drill's figures are read against it.</summary>
    private static string LoadOf(DrillRun run)
    {
        var phases = run.Phases.Concat(run.Cluster?.Phase is { } cluster ? [cluster] : []).ToList();
        return phases.Count == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture,
            $", 1-minute load average {phases.Min(p => p.Health.LoadMin):0.0}-{phases.Max(p => p.Health.LoadMax):0.0} during the phases (the drill itself and whatever else shared the machine)");
    }

    private static string Or(string text) => text.Length == 0 ? "none" : text;
}
