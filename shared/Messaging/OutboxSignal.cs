using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CreditBank.Messaging;

/// <summary>Wakes a service's relay as soon as outbox rows commit, so events leave in milliseconds, not at the next poll.</summary>
public sealed class OutboxSignal<TDb>
    where TDb : DbContext
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Raise()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Raised concurrently: one pending wake-up is enough.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

/// <summary>
/// Which contexts have queued outbox rows (<see cref="Outbox.Enqueue{TEvent}"/>) not yet committed: only their commits
/// wake the relay. Any commit did before, the relay's own claims and marks and every consumer's inbox commit among them,
/// so a relay woke itself after each round, and a consumer's relay whenever it handled an event: a claim that found
/// nothing, a statement and a commit each time.
/// </summary>
internal static class QueuedOutboxRows
{
    private static readonly ConditionalWeakTable<DbContext, object> Queued = new();

    public static void Written(DbContext db) => Queued.AddOrUpdate(db, Queued);

    /// <summary>Whether the context had queued rows, forgetting them: they are committed now.</summary>
    public static bool Committed(DbContext? db) => db is not null && Queued.Remove(db);
}

/// <summary>Raises the signal after a save of outbox rows outside an explicit transaction.</summary>
internal sealed class OutboxSaveSignal<TDb>(OutboxSignal<TDb> signal) : SaveChangesInterceptor
    where TDb : DbContext
{
    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.Database.CurrentTransaction is null && QueuedOutboxRows.Committed(eventData.Context))
        {
            signal.Raise();
        }

        return ValueTask.FromResult(result);
    }
}

/// <summary>Raises the signal when an explicit transaction that wrote outbox rows commits (its rows are visible only then).</summary>
internal sealed class OutboxCommitSignal<TDb>(OutboxSignal<TDb> signal) : DbTransactionInterceptor
    where TDb : DbContext
{
    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        if (QueuedOutboxRows.Committed(eventData.Context))
        {
            signal.Raise();
        }

        return Task.CompletedTask;
    }
}
