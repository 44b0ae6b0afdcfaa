using CreditBank.LoadGenerator.Measures;
using Npgsql;

namespace CreditBank.LoadGenerator.Drill;

/// <summary>Deposits per second before a fault struck and after it, and the longest time no deposit was made after it.</summary>
public sealed record CreditRate(double BeforePerSecond, double AfterPerSecond, TimeSpan LongestStall, long Deposits);

/// <summary>
/// Counts the ledger's deposits once a second while a phase runs (entries since the phase began: a range of the
/// time-ordered primary key), to tell how fast outcomes were credited before and after the fault.
/// </summary>
public sealed class CreditSampler : IAsyncDisposable
{
    private readonly List<(DateTimeOffset At, long Deposits)> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private CreditSampler(string accountsDatabase, DateTimeOffset since)
    {
        var ledger = new Ledger(accountsDatabase);
        _sampling = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var deposits = await ledger.CountDepositsSinceAsync(since, _stop.Token);
                    lock (_samples)
                    {
                        _samples.Add((DateTimeOffset.UtcNow, deposits));
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    // PostgreSQL is the fault being drilled, or comes back: no sample this second.
                }

                try
                {
                    await Task.Delay(1000, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
    }

    public static CreditSampler Start(string accountsDatabase, DateTimeOffset since) => new(accountsDatabase, since);

    /// <summary>How long the windows before and after a strike are that <see cref="Around"/> compares.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Deposits per second in the <see cref="Window"/> before <paramref name="struck"/> and in the one after it (cut
    /// short when the last deposit came sooner), from the samples so far.
    /// </summary>
    public CreditRate Around(DateTimeOffset struck)
    {
        List<(DateTimeOffset At, long Deposits)> samples;
        lock (_samples)
        {
            samples = [.. _samples];
        }

        if (samples.Count < 2)
        {
            return new CreditRate(0, 0, TimeSpan.Zero, samples.LastOrDefault().Deposits);
        }

        var final = samples[^1].Deposits;
        var done = samples.First(s => s.Deposits == final);
        var windowStart = samples.FirstOrDefault(s => s.At >= struck - Window);
        var atStrike = samples.LastOrDefault(s => s.At <= struck);
        var windowEnd = samples.LastOrDefault(s => s.At <= struck + Window && s.At <= done.At);
        static double Rate((DateTimeOffset At, long Deposits) from, (DateTimeOffset At, long Deposits) to) =>
            from.At != default && to.At > from.At ? (to.Deposits - from.Deposits) / (to.At - from.At).TotalSeconds : 0;

        // The longest wait for the next deposit, from the strike on: between two looks that saw the count rise.
        var stall = TimeSpan.Zero;
        var lastRise = struck;
        var previous = atStrike.Deposits;
        foreach (var sample in samples.Where(s => s.At > struck && s.At <= done.At))
        {
            if (sample.Deposits > previous)
            {
                stall = sample.At - lastRise > stall ? sample.At - lastRise : stall;
                lastRise = sample.At;
            }

            previous = sample.Deposits;
        }

        return new CreditRate(Rate(windowStart, atStrike), Rate(atStrike, windowEnd), stall, final);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
