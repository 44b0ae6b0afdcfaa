using CreditBank.Credentials.Data;
using CreditBank.Credentials.Domain;
using CreditBank.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Credentials.Events;

/// <summary>
/// A consumer that may set status bits: it handles its event once (the inbox), signs the decision the event states if
/// it is not signed yet, and drops the status lists whose bits it set from <see cref="StatusListCache"/> only after its
/// transaction committed (before, a reader could cache the old list again).
/// </summary>
public abstract class StatusBitConsumer<TEvent>(CredentialsDb db, CredentialsOptions options, DecisionSigner signer, StatusListCache cache,
    TimeProvider time) : IConsumer<TEvent>
    where TEvent : class
{
    private protected CredentialsDb Db { get; } = db;

    public async Task Consume(ConsumeContext<TEvent> context)
    {
        var changed = new HashSet<int>();
        await Db.ProcessOnceAsync(context, GetType().Name, async ct =>
        {
            // A retry starts over: what an earlier try set was rolled back.
            changed.Clear();
            var (subject, kind) = Decided(context.Message);
            if (!await Db.Decisions.AnyAsync(d => d.SubjectId == subject && d.Kind == kind, ct))
            {
                Db.Decisions.Add(DecisionRecord.From(Sign(signer, context.Message)));
            }

            await ApplyAsync(context.Message, new StatusLists(Db, options, time), changed, ct);
        });

        foreach (var list in changed)
        {
            cache.Invalidate(list);
        }
    }

    /// <summary>What the event decided (its subject and kind): signed once.</summary>
    private protected abstract (Guid Subject, DecisionKind Kind) Decided(TEvent message);

    private protected abstract SignedDecision Sign(DecisionSigner signer, TEvent message);

    /// <summary>Writes what the event changes; adds to <paramref name="changed"/> each list whose bit it set.</summary>
    private protected abstract Task ApplyAsync(TEvent message, StatusLists lists, ISet<int> changed, CancellationToken ct);
}
