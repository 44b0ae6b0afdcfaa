using System.Diagnostics;
using CreditBank.Contracts.Accounts.V1;
using CreditBank.LoadGenerator.Fleet;

namespace CreditBank.LoadGenerator.Drill;

/// <param name="Fault">The one fault of the phase.</param>
/// <param name="Load">The phase's own load.</param>
/// <param name="StrikeAt">The share of the batch's lines sent when the fault strikes.</param>
/// <param name="SubmitAfterRestore">How long submits (and their revocations) go on once the part is back.</param>
/// <param name="QuiesceTimeout">How long the bank may take to settle before the audit runs anyway.</param>
public sealed record PhaseOptions(Fault Fault, DrillLoadOptions Load, double StrikeAt, TimeSpan SubmitAfterRestore, TimeSpan QuiesceTimeout);

/// <summary>One phase of the drill: its load, its fault, the audit after the bank settled, and every problem found.</summary>
public sealed record PhaseResult(
    string Key,
    string Title,
    DrillLoadFigures Load,
    FaultTimeline Timeline,
    CreditRate Credited,
    Quiet Quiet,
    AuditFigures Audit,
    ParkedFigures Parked,
    HealthFigures Health,
    TimeSpan Duration,
    IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>The bank a phase runs against: the fleet, its broker (as rabbitmqctl sees it) and the parking queues' watch.</summary>
public sealed record DrillTarget(DistributedBank Bank, Broker Broker, ParkingWatch Parking)
{
    public BankDatabases Databases => new(Bank.DatabaseOf("Recognition"), Bank.DatabaseOf("Accounts"), Bank.DatabaseOf("Conversion"));
}

/// <summary>
/// One fault under load, then the audit: start the load, strike when part of the batch is in, give the part back,
/// let the load finish (resuming, retrying), wait until the bank is at rest, audit by outcome id what this phase stored.
/// </summary>
public static class DrillPhase
{
    /// <summary>How long after the audit every service may take to answer SERVING again before the phase fails.</summary>
    public static readonly TimeSpan ReadinessLimit = TimeSpan.FromMinutes(2);

    public static async Task<PhaseResult> RunAsync(DrillTarget target, PhaseOptions options, Action<string>? say = null, CancellationToken ct = default)
    {
        say ??= _ => { };
        var clock = Stopwatch.StartNew();
        var from = DateTimeOffset.UtcNow;
        var databases = target.Databases;
        await using var sampler = CreditSampler.Start(databases.Accounts, from);
        await using var watch = HealthWatch.Start(target.Bank);
        var load = DrillLoad.Start(target.Bank.Connection, databases.Recognition, options.Load, ct);
        FaultTimeline timeline;
        DrillLoadFigures figures;
        try
        {
            await load.BatchProgressAsync(options.StrikeAt, TimeSpan.FromMinutes(5));
            say($"{options.Fault.Key}: striking ({options.Fault.Title}) with {options.StrikeAt:P0} of the batch sent");
            timeline = await options.Fault.StrikeAsync(target.Bank, ct);
            say($"{options.Fault.Key}: back after {timeline.Outage.TotalSeconds:0.0} s{(timeline.Note is null ? "" : $"; {timeline.Note}")}");
            await load.Batches;
            await Task.Delay(options.SubmitAfterRestore, ct);
            figures = await load.FinishAsync();
        }
        catch
        {
            // The next phase must not share the bank with this one's load.
            await load.AbandonAsync();
            throw;
        }

        say($"{options.Fault.Key}: load done ({figures.BatchAccepted:N0} lines accepted, {figures.BatchResumes} resumes, {figures.SubmitsAnswered:N0} submits, " +
            $"{figures.RevocationsAnswered:N0} revocations, {figures.Retries:N0} retries); waiting for the bank to settle");
        var quiet = await Quiescence.WaitAsync(target.Broker, databases, options.QuiesceTimeout, ct);
        say($"{options.Fault.Key}: {(quiet.Reached ? "at rest" : "NOT at rest")} after {quiet.After.TotalSeconds:0.0} s ({quiet.LastSeen}); auditing");
        var credited = sampler.Around(timeline.Struck);
        var accounts = new AccountsService.AccountsServiceClient(target.Bank.Connection.AccountsAsAdministrator);
        var audit = await ReliabilityAudit.RunAsync(databases, from, DateTimeOffset.UtcNow, async id =>
        {
            try
            {
                var account = await accounts.GetAccountAsync(new GetAccountRequest { AccountId = id.ToString() }, cancellationToken: ct);
                return ((decimal)account.TotalCredits, account.LedgerEntryCount);
            }
            catch (global::Grpc.Core.RpcException)
            {
                // No answer is not the ledger's answer either.
                return (-1m, -1L);
            }
        }, ct: ct);
        var parked = await target.Parking.LookAsync(ct);
        var health = await watch.AllServingAsync(ReadinessLimit, ct);
        say($"{options.Fault.Key}: readiness after the strike: {(health.TransitionsAfter(timeline.Struck) is { Length: > 0 } seen ? seen : "every service SERVING throughout")}; " +
            $"probes slower than 5 s: {(health.SlowProbes is { Length: > 0 } slow ? slow : "none")}; load average {health.LoadMin:0.0}-{health.LoadMax:0.0}");
        var problems = Problems(figures, quiet, audit, parked, health);
        say($"{options.Fault.Key}: {(problems.Count == 0 ? "PASSED" : "FAILED: " + string.Join("; ", problems))}");
        return new PhaseResult(options.Fault.Key, options.Fault.Title, figures, timeline, credited, quiet, audit, parked, health, clock.Elapsed, problems);
    }

    /// <summary>Everything that must hold after a phase, one line per thing that did not.</summary>
    public static IReadOnlyList<string> Problems(DrillLoadFigures load, Quiet quiet, AuditFigures audit, ParkedFigures parked, HealthFigures health)
    {
        var problems = new List<string>();
        problems.AddRange(audit.Problems());
        problems.AddRange(audit.Vacuity());
        if (parked.Unexpected > 0)
        {
            problems.Add($"{parked.Unexpected:N0} messages parked that are not the drill's poison: {ParkingWatch.Describe(parked)}");
        }

        if (health.EndsNotServing)
        {
            problems.Add($"a service was not SERVING {ReadinessLimit.TotalSeconds:0} s after the bank was at rest and audited: {string.Join(", ", health.Changes.GroupBy(c => c.Service).Select(g => $"{g.Key} {g.Last().State}"))}");
        }

        if (!quiet.Reached)
        {
            problems.Add($"the bank did not come to rest: {quiet.LastSeen}");
        }

        if (audit.Outcomes != load.OutcomesAnswered)
        {
            problems.Add($"recognition stored {audit.Outcomes:N0} outcomes, the client was answered {load.OutcomesAnswered:N0} " +
                $"({load.BatchAccepted:N0} batch lines accepted, {load.SubmitsAnswered:N0} submits)");
        }

        if (audit.Revoked != load.RevocationsAnswered)
        {
            problems.Add($"the client was answered {load.RevocationsAnswered:N0} revocations, recognition holds {audit.Revoked:N0} recognised outcomes revoked");
        }

        if (load.SubmitRevocations == 0 || load.BatchRevocations == 0)
        {
            problems.Add($"revocations issued: {load.SubmitRevocations} of submits, {load.BatchRevocations} of batch lines; the drill needs both");
        }

        if (load.SubmitsAbandoned > 0 || load.RevocationsAbandoned > 0)
        {
            problems.Add($"calls given up after retrying for minutes: {load.SubmitsAbandoned} submits, {load.RevocationsAbandoned} revocations");
        }

        problems.AddRange(load.Unexpected.Select(u => $"unexpected answer: {u}"));
        return problems;
    }
}
