using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using System.Data.Common;

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

/// <summary>Raises the signal after a save outside an explicit transaction.</summary>
internal sealed class OutboxSaveSignal<TDb>(OutboxSignal<TDb> signal) : SaveChangesInterceptor
    where TDb : DbContext
{
    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            signal.Raise();
        }

        return ValueTask.FromResult(result);
    }
}

/// <summary>Raises the signal when an explicit transaction commits (its rows are visible only then).</summary>
internal sealed class OutboxCommitSignal<TDb>(OutboxSignal<TDb> signal) : DbTransactionInterceptor
    where TDb : DbContext
{
    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        signal.Raise();
        return Task.CompletedTask;
    }
}
