using CreditBank.Credentials.Data;
using CreditBank.Credentials.Domain;
using CreditBank.Messaging;
using MassTransit;

namespace CreditBank.Credentials.Events;

/// <summary>
/// A consumer that may set status bits: it handles its event once (the inbox), signs the decision the event states if
/// it is not signed yet, and drops the status lists whose bits it set from <see cref="StatusListCache"/> only after its
/// transaction committed (before, a reader could cache the old list again).
/// </summary>
public abstract class StatusBitConsumer<TEvent>(CredentialsDb db, CredentialsOptions options, StatusListCache cache, TimeProvider time)
    : IConsumer<TEvent>
    where TEvent : class
{
    private protected CredentialsDb Db { get; } = db;

    public async Task Consume(ConsumeContext<TEvent> context)
    {
        var changed = new HashSet<int>();
        await Db.ProcessOnceAsync(context, GetType().Name, ct =>
        {
            // A retry starts over: what an earlier try set was rolled back.
            changed.Clear();
            return ApplyAsync(context.Message, new StatusLists(Db, options, time), changed, ct);
        });

        foreach (var list in changed)
        {
            cache.Invalidate(list);
        }
    }

    /// <summary>Writes what the event changes; adds to <paramref name="changed"/> each list whose bit it set.</summary>
    private protected abstract Task ApplyAsync(TEvent message, StatusLists lists, ISet<int> changed, CancellationToken ct);
}
