using System.Collections.Concurrent;
using System.Diagnostics;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.LoadGenerator.Measures;
using Grpc.Core;

namespace CreditBank.LoadGenerator.Scenarios;

/// <param name="Learners">Learner numbers used: [FirstLearner, FirstLearner + Learners); each submit picks the next in turn.</param>
/// <param name="FirstCourse">Course numbers from here on, so a second run over the same learners is not a duplicate.</param>
public sealed record SubmitOptions(long FirstLearner, long Learners, long FirstCourse, TimeSpan CreditTimeout);

/// <summary>The highest rate: callers submitting back to back; and how fast what they submitted was credited.</summary>
public sealed record MaxRateResult(ClosedLoopResult Submits, double CreditedSeconds)
{
    /// <summary>Submitted outcomes credited per second, from the first submit until the last deposit was posted.</summary>
    public double CreditedPerSecond => Submits.Succeeded / CreditedSeconds;

    /// <summary>The rate the whole pipeline sustains: submits no faster than they are credited.</summary>
    public double SustainedPerSecond => Math.Min(Submits.PerSecond, CreditedPerSecond);
}

/// <summary>A fixed offered load: submits sent on schedule whatever the answers, and submit→credited per outcome.</summary>
public sealed record OfferedLoadResult(double OfferedPerSecond, double Seconds, long Sent, long Failed, Percentiles Answer, Percentiles SubmitToCredited,
    string? FirstError)
{
    public double AchievedPerSecond => (Sent - Failed) / Seconds;
}

/// <summary>Submit number <paramref name="N"/> of an open loop: who sends it, through which client, and what.</summary>
public sealed record Submit(long N, string InstitutionCode, RecognitionService.RecognitionServiceClient Client, SubmitOutcomeRequest Request);

/// <summary>
/// Scenario 2: one outcome per unary SubmitOutcome call, as an institution's system sends them when they happen.
/// Credited means the deposit's ledger entry exists; its time is the entry's posted_at, taken on the same clock.
/// </summary>
public static class SubmitPipeline
{
    public static async Task<MaxRateResult> MaxRateAsync(BankConnection bank, SubmitOptions options, int callers, TimeSpan duration, CancellationToken ct = default)
    {
        var submitted = new ConcurrentBag<Guid>();
        var clients = bank.Institutions.Select(i => (i.Code, Client: new RecognitionService.RecognitionServiceClient(i.Recognition))).ToArray();
        var started = DateTimeOffset.UtcNow;
        var result = await ClosedLoop.RunAsync(callers, duration, TimeSpan.Zero, async n =>
        {
            var (code, client) = clients[n % clients.Length];
            var answer = await client.SubmitOutcomeAsync(OutcomeLines.Submission(code, options.FirstLearner + n % options.Learners, options.FirstCourse + n),
                cancellationToken: ct);
            submitted.Add(Guid.Parse(answer.OutcomeId));
        });
        var credited = await new Ledger(bank.AccountsDatabase).WaitForDepositsAsync(submitted.ToList(), options.CreditTimeout, ct);
        var last = credited.Count == 0 ? started : credited.Values.Max();
        return new MaxRateResult(result, Math.Max((last - started).TotalSeconds, result.Seconds));
    }

    public static async Task<OfferedLoadResult> OfferedLoadAsync(BankConnection bank, SubmitOptions options, double perSecond, TimeSpan duration,
        CancellationToken ct = default)
    {
        var sentAt = new ConcurrentDictionary<Guid, DateTimeOffset>();
        var answers = new ConcurrentBag<double>();
        var failed = 0L;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        var total = await OpenLoopAsync(bank, options, perSecond, (long)(perSecond * duration.TotalSeconds), async submit =>
        {
            var sent = DateTimeOffset.UtcNow;
            var timer = Stopwatch.GetTimestamp();
            try
            {
                var answer = await submit.Client.SubmitOutcomeAsync(submit.Request, cancellationToken: ct);
                answers.Add(Stopwatch.GetElapsedTime(timer).TotalMilliseconds);
                sentAt[Guid.Parse(answer.OutcomeId)] = sent;
            }
            catch (RpcException e)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, $"{e.StatusCode}: {e.Status.Detail}", null);
            }
        }, ct);
        var seconds = clock.Elapsed.TotalSeconds;
        var credited = await new Ledger(bank.AccountsDatabase).WaitForDepositsAsync(sentAt.Keys.ToList(), options.CreditTimeout, ct);
        var latencies = sentAt.Select(s => (credited[s.Key] - s.Value).TotalMilliseconds);
        return new OfferedLoadResult(perSecond, seconds, total, failed, Percentiles.Of(answers), Percentiles.Of(latencies), firstError);
    }

    /// <summary>
    /// The open loop: submit <c>n</c> (course <c>FirstCourse + n</c> of the next learner in turn, from the next
    /// institution in turn) leaves at <c>n / perSecond</c> whatever happened to the others, until <paramref name="count"/>
    /// have left or <paramref name="stop"/> is cancelled; <paramref name="send"/> makes the call and deals with its answer.
    /// Returns once every send has finished: how many left.
    /// </summary>
    public static async Task<long> OpenLoopAsync(BankConnection bank, SubmitOptions options, double perSecond, long count, Func<Submit, Task> send,
        CancellationToken ct = default, CancellationToken stop = default)
    {
        var clients = bank.Institutions.Select(i => (i.Code, Client: new RecognitionService.RecognitionServiceClient(i.Recognition))).ToArray();
        var inFlight = new List<Task>((int)Math.Min(count, 100_000));
        using var stopOrCancel = CancellationTokenSource.CreateLinkedTokenSource(ct, stop);
        var clock = Stopwatch.StartNew();
        var n = 0L;
        for (; n < count && !stop.IsCancellationRequested; n++)
        {
            // Elapsed read once: read again, it may have passed the due time (a negative delay throws).
            var wait = TimeSpan.FromSeconds(n / perSecond) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stopOrCancel.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    break;
                }
            }

            var (code, client) = clients[n % clients.Length];
            var submit = new Submit(n, code, client, OutcomeLines.Submission(code, options.FirstLearner + n % options.Learners, options.FirstCourse + n));
            inFlight.Add(Task.Run(() => send(submit), ct));
        }

        await Task.WhenAll(inFlight);
        return n;
    }
}
