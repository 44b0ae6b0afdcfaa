using System.Diagnostics;

namespace CreditBank.LoadGenerator.Measures;

/// <summary>What a closed-loop run did: calls per second with a fixed number of callers, each waiting for its answer.</summary>
public sealed record ClosedLoopResult(int Callers, double Seconds, long Succeeded, long Failed, Percentiles Latency, string? FirstError)
{
    public double PerSecond => Succeeded / Seconds;
}

/// <summary>N callers, each calling again as soon as its answer arrives, for a fixed time (after a warm-up that is not counted).</summary>
public static class ClosedLoop
{
    public static async Task<ClosedLoopResult> RunAsync(int callers, TimeSpan duration, TimeSpan warmUp, Func<long, Task> call)
    {
        long sequence = 0;
        if (warmUp > TimeSpan.Zero)
        {
            await Drive(callers, warmUp, call, () => Interlocked.Increment(ref sequence), record: false);
        }

        return await Drive(callers, duration, call, () => Interlocked.Increment(ref sequence), record: true);
    }

    private static async Task<ClosedLoopResult> Drive(int callers, TimeSpan duration, Func<long, Task> call, Func<long> next, bool record)
    {
        var clock = Stopwatch.StartNew();
        var perCaller = new List<double>[callers];
        var failures = new Failures();
        var tasks = Enumerable.Range(0, callers).Select(async i =>
        {
            await Task.Yield();
            var latencies = perCaller[i] = new List<double>(4096);
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                if (await failures.SucceededAsync(() => call(next())) && record)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }).ToList();
        await Task.WhenAll(tasks);
        var seconds = clock.Elapsed.TotalSeconds;
        var all = perCaller.SelectMany(l => l).ToList();
        return new ClosedLoopResult(callers, seconds, all.Count, failures.Count, Percentiles.Of(all), failures.First);
    }
}
