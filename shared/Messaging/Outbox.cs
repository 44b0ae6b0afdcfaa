using CreditBank.Contracts.Events;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Messaging;

public static class Outbox
{
    /// <summary>
    /// Queues an event to be published once the context's changes commit, with its header: a new time-ordered id (the
    /// MessageId it is published with), <paramref name="now"/> and <paramref name="actor"/>. Call before
    /// <c>SaveChangesAsync</c>: the event row is then part of the same transaction as the state change.
    /// </summary>
    /// <returns>The event as queued, header included.</returns>
    public static TEvent Enqueue<TEvent>(this DbContext db, string actor, DateTimeOffset now, TEvent integrationEvent)
        where TEvent : IntegrationEvent
    {
        var stamped = (TEvent)(integrationEvent with { EventId = Guid.CreateVersion7(now), OccurredAt = now, Actor = actor });
        db.Set<OutboxMessage>().Add(OutboxMessage.For(stamped));
        QueuedOutboxRows.Written(db);
        return stamped;
    }
}
