using CreditBank.Contracts.Events;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Messaging;

public static class Outbox
{
    /// <summary>
    /// Queues an event to be published once the context's changes commit. Call before <c>SaveChangesAsync</c>: the event
    /// row is then part of the same transaction as the state change.
    /// </summary>
    public static void Enqueue<TEvent>(this DbContext db, TEvent integrationEvent)
        where TEvent : class, IIntegrationEvent =>
        db.Set<OutboxMessage>().Add(OutboxMessage.For(integrationEvent));
}
