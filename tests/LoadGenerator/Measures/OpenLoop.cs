using System.Collections.Concurrent;
using System.Diagnostics;

namespace CreditBank.LoadGenerator.Measures;

/// <summary>What an open-loop run did: calls sent on a fixed schedule whatever the answers, and how long each took.</summary>
public sealed record OpenLoopResult(double OfferedPerSecond, double Seconds, long Succeeded, long Failed, Percentiles Latency, string? FirstError)
{
    public double PerSecond => Succeeded / Seconds;
}

/// <summary>
/// Calls at a fixed rate for a fixed time (after a warm-up that is not counted), each sent on schedule however many are
/// still waiting for their answers. A call's time runs from when it was due, not when it left: a generator that fell
/// behind does not hide the wait (no coordinated omission). Latency at a stated load below what the machine does flat
/// out: a saturated closed loop's is mostly queueing (its mean is the number of callers over its rate, Little's law).
/// </summary>
public static class OpenLoop
{
    public static async Task<OpenLoopResult> RunAsync(double perSecond, TimeSpan duration, TimeSpan warmUp, Func<long, Task> call)
    {
        if (warmUp > TimeSpan.Zero)
        {
            await Drive(perSecond, warmUp, call, 0);
        }

        return await Drive(perSecond, duration, call, (long)(perSecond * warmUp.TotalSeconds));
    }

    private static async Task<OpenLoopResult> Drive(double perSecond, TimeSpan duration, Func<long, Task> call, long first)
    {
        var latencies = new ConcurrentBag<double>();
        var failures = new Failures();
        var count = (long)(perSecond * duration.TotalSeconds);
        var inFlight = new List<Task>((int)count);
        var clock = Stopwatch.StartNew();
        for (var n = 0L; n < count; n++)
        {
            var due = TimeSpan.FromSeconds(n / perSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var sequence = first + n;
            inFlight.Add(Task.Run(async () =>
            {
                if (await failures.SucceededAsync(() => call(sequence)))
                {
                    latencies.Add((clock.Elapsed - due).TotalMilliseconds);
                }
            }));
        }

        await Task.WhenAll(inFlight);
        return new OpenLoopResult(perSecond, duration.TotalSeconds, latencies.Count, failures.Count, Percentiles.Of(latencies), failures.First);
    }
}
