using System.Globalization;
using CreditBank.LoadGenerator.Fleet;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CreditBank.LoadGenerator.Drill;

/// <summary>What one service's readiness (grpc.health.v1, service <c>""</c>) answered, from one moment on.</summary>
public sealed record HealthChange(string Service, DateTimeOffset At, string State);

/// <summary>What a phase's watch saw: each service's readiness changes, and how loaded the machine was.</summary>
/// <param name="Changes">Every change of answer, the first look of each service included.</param>
/// <param name="LoadMin">The smallest 1-minute load average (/proc/loadavg) seen during the phase.</param>
/// <param name="LoadMax">The largest.</param>
/// <param name="Slow">Per service, the probes that got no answer within 5 s from a running process (a busy machine, not a state).</param>
public sealed record HealthFigures(IReadOnlyList<HealthChange> Changes, double LoadMin, double LoadMax, IReadOnlyDictionary<string, int> Slow)
{
    public const string Serving = "SERVING";

    /// <summary>
    /// Per service that did not stay SERVING, what it answered at <paramref name="struck"/> when that was not SERVING
    /// (a killed service stops answering before the kill returns) and every change after, in seconds from the strike:
    /// <c>accounts: no answer +0 s, NOT_SERVING +9 s, SERVING +11 s</c>. Empty: every service served throughout.
    /// </summary>
    public string TransitionsAfter(DateTimeOffset struck) => string.Join("; ", Changes
        .GroupBy(c => c.Service)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => (Service: g.Key, Seen: g.Where(c => c.At >= struck)
            .Prepend(g.LastOrDefault(c => c.At < struck) is { State: not Serving } atStrike ? atStrike with { At = struck } : null)
            .OfType<HealthChange>()
            .ToList()))
        .Where(s => s.Seen.Count > 0)
        .Select(s => $"{s.Service.ToLowerInvariant()}: " + string.Join(", ", s.Seen.Select(c =>
            string.Create(CultureInfo.InvariantCulture, $"{c.State} +{(c.At - struck).TotalSeconds:0} s")))));

    /// <summary>Probes slower than 5 s, per service that had any: <c>accounts 3, recognition 12</c>.</summary>
    public string SlowProbes => string.Join(", ", Slow.Where(s => s.Value > 0).OrderBy(s => s.Key, StringComparer.Ordinal)
        .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key.ToLowerInvariant()} {s.Value}")));

    /// <summary>From the strike until every service answered SERVING again (zero when none stopped serving).</summary>
    public TimeSpan AllServingAfter(DateTimeOffset struck)
    {
        var after = Changes.Where(c => c.At >= struck).ToList();
        var lastServing = after.Where(c => c.State == Serving).Select(c => c.At).DefaultIfEmpty(struck).Max();
        return after.Count == 0 ? TimeSpan.Zero : lastServing - struck;
    }

    /// <summary>True when some service is not answering SERVING at the last look.</summary>
    public bool EndsNotServing => Changes.GroupBy(c => c.Service).Any(g => g.Last().State != Serving);
}

/// <summary>
/// Asks each service's readiness once a second through a phase, as a Kubernetes probe would, and notes every change
/// of answer (SERVING, NOT_SERVING, or no answer: nothing listens on its port); a probe a running process does not
/// answer within 5 s is counted as slow, not as a change (on a loaded machine every service has some); reads the
/// machine's load average alongside, since the drill shares two cores with whatever else runs.
/// </summary>
public sealed class HealthWatch : IAsyncDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly List<HealthChange> _changes = [];
    private readonly List<double> _loads = [];
    private readonly Dictionary<string, int> _slow = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<GrpcChannel> _channels = [];
    private readonly Task _watching;

    private HealthWatch(IEnumerable<(string Name, Uri Grpc)> services)
    {
        var watches = services.Select(s =>
        {
            var channel = GrpcChannel.ForAddress(s.Grpc);
            _channels.Add(channel);
            return WatchAsync(s.Name, new Health.HealthClient(channel));
        }).ToList();
        watches.Add(SampleLoadAsync());
        _watching = Task.WhenAll(watches);
    }

    /// <summary>Starts watching every service of <paramref name="bank"/> (by address: a service started again is the same one).</summary>
    public static HealthWatch Start(DistributedBank bank) => new(bank.Services.Select(s => (s.Name, s.GrpcAddress)).ToList());

    /// <summary>
    /// Waits, at most <paramref name="limit"/>, until every service's last answer is SERVING: the bank comes to rest (its
    /// queues drained) seconds before a service's broker check sees its bus ready again, and the phase is judged on
    /// whether readiness came back, not on which of the two was first.
    /// </summary>
    public async Task<HealthFigures> AllServingAsync(TimeSpan limit, CancellationToken ct = default)
    {
        var until = DateTimeOffset.UtcNow + limit;
        var figures = Figures();
        while (figures.EndsNotServing && DateTimeOffset.UtcNow < until)
        {
            await Task.Delay(Every, ct);
            figures = Figures();
        }

        return figures;
    }

    /// <summary>What was seen so far.</summary>
    public HealthFigures Figures()
    {
        lock (_changes)
        {
            return new HealthFigures([.. _changes.OrderBy(c => c.At)], _loads.DefaultIfEmpty(0).Min(), _loads.DefaultIfEmpty(0).Max(),
                new Dictionary<string, int>(_slow));
        }
    }

    private async Task WatchAsync(string service, Health.HealthClient health)
    {
        string? last = null;
        while (!_stop.IsCancellationRequested)
        {
            string state;
            try
            {
                var answer = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + Patience, cancellationToken: _stop.Token);
                state = answer.Status == HealthCheckResponse.Types.ServingStatus.Serving ? HealthFigures.Serving : answer.Status.ToString().ToUpperInvariant() switch
                {
                    "NOTSERVING" => "NOT_SERVING",
                    var other => other,
                };
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded && !_stop.IsCancellationRequested)
            {
                lock (_changes)
                {
                    _slow[service] = _slow.GetValueOrDefault(service) + 1;
                }

                continue;
            }
            catch (RpcException) when (!_stop.IsCancellationRequested)
            {
                state = "no answer";
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException)
            {
                break;
            }

            if (state != last)
            {
                lock (_changes)
                {
                    _changes.Add(new HealthChange(service, DateTimeOffset.UtcNow, state));
                }

                last = state;
            }

            await PauseAsync();
        }
    }

    private async Task SampleLoadAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (MachineLoad.OneMinute() is { } load)
            {
                lock (_changes)
                {
                    _loads.Add(load);
                }
            }

            await PauseAsync();
        }
    }

    private async Task PauseAsync()
    {
        try
        {
            await Task.Delay(Every, _stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        _stop.Dispose();
    }
}

/// <summary>The machine's 1-minute load average, as <c>uptime</c> shows it (null where /proc/loadavg cannot be read).</summary>
public static class MachineLoad
{
    public static double? OneMinute()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
