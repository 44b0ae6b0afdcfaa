namespace CreditBank.LoadGenerator.Drill;

/// <summary>What the <c>_error</c> and <c>_skipped</c> queues held at one look.</summary>
/// <param name="Depth">Every message parked, poison included, since the drill began.</param>
/// <param name="Unexpected">Parked messages that are not the drill's poison and were not there at the previous look.</param>
/// <param name="UnexpectedKinds">Those, by queue, event and exception.</param>
public sealed record ParkedFigures(long Depth, long Poison, long Unexpected, IReadOnlyList<KeyValuePair<string, int>> UnexpectedKinds);

/// <summary>
/// The drill's poison and the parking queues: one malformed message is put into every consumer queue of the bank; each
/// must end in its queue's <c>_error</c>, and nothing else may end in any <c>_error</c> or <c>_skipped</c> queue.
/// </summary>
public sealed class ParkingWatch
{
    private readonly Broker _broker;
    private readonly IReadOnlyDictionary<string, string> _poison;
    private readonly HashSet<string> _seen = [];

    private ParkingWatch(Broker broker, IReadOnlyDictionary<string, string> poison) => (_broker, _poison) = (broker, poison);

    /// <summary>The consumer queues poisoned (queue → the poison's message id).</summary>
    public IReadOnlyDictionary<string, string> Poison => _poison;

    /// <summary>
    /// Poisons every consumer queue of the bank and waits until each poison is in its <c>_error</c> queue. Problems:
    /// no consumer queue at all, poison that did not arrive where it should, anything else parked.
    /// </summary>
    public static async Task<(ParkingWatch Watch, IReadOnlyList<string> Problems)> PoisonAsync(Broker broker, TimeSpan timeout, CancellationToken ct = default)
    {
        var queues = (await broker.QueuesAsync()).Where(q => q.IsConsumerQueue).Select(q => q.Name).Order(StringComparer.Ordinal).ToList();
        var problems = new List<string>();
        if (queues.Count == 0)
        {
            problems.Add("the broker has no consumer queue of the bank to poison");
        }

        var watch = new ParkingWatch(broker, await ParkedMessages.InjectPoisonAsync(broker, queues, ct));
        var until = DateTime.UtcNow + timeout;
        IReadOnlyList<ParkedMessage> parked = [];
        while (DateTime.UtcNow < until)
        {
            parked = await watch.ReadAsync(ct);
            if (watch._poison.All(p => parked.Any(m => m.MessageId == p.Value && m.Queue == $"{p.Key}_error")))
            {
                break;
            }

            await Task.Delay(500, ct);
        }

        foreach (var (queue, id) in watch._poison)
        {
            if (!parked.Any(m => m.MessageId == id && m.Queue == $"{queue}_error"))
            {
                var elsewhere = parked.FirstOrDefault(m => m.MessageId == id);
                problems.Add(elsewhere is null
                    ? $"the poison put into {queue} did not reach {queue}_error within {timeout.TotalSeconds:0} s"
                    : $"the poison put into {queue} ended in {elsewhere.Queue}, not {queue}_error");
            }
        }

        var figures = await watch.LookAsync(ct);
        if (figures.Unexpected > 0)
        {
            problems.Add($"{figures.Unexpected} messages other than the poison were parked before the drill began: {Describe(figures)}");
        }

        return (watch, problems);
    }

    /// <summary>Everything parked now; what is not poison and was not seen before counts as unexpected.</summary>
    public async Task<ParkedFigures> LookAsync(CancellationToken ct = default)
    {
        var parked = await ReadAsync(ct);
        var poisonIds = _poison.Values.ToHashSet();
        var fresh = parked.Where(m => !poisonIds.Contains(m.MessageId ?? string.Empty) && _seen.Add(m.MessageId ?? Guid.NewGuid().ToString())).ToList();
        return new ParkedFigures(parked.Count, parked.Count(m => poisonIds.Contains(m.MessageId ?? string.Empty)), fresh.Count,
            fresh.CountBy(m => m.Kind).OrderByDescending(k => k.Value).ToList());
    }

    public static string Describe(ParkedFigures figures) =>
        string.Join("; ", figures.UnexpectedKinds.Select(k => $"{k.Value:N0} × {k.Key}"));

    private async Task<IReadOnlyList<ParkedMessage>> ReadAsync(CancellationToken ct)
    {
        var parking = (await _broker.QueuesAsync()).Where(q => q.IsBanks && q.IsParking && q.Messages > 0).Select(q => q.Name).ToList();
        return await ParkedMessages.ReadAsync(_broker, parking, ct: ct);
    }
}
