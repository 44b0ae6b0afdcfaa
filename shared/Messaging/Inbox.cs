using CreditBank.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Messaging;

/// <summary>Makes "event → state change" happen once per consumer, however often the broker delivers the event.</summary>
public static class Inbox
{
    /// <summary>
    /// Runs <paramref name="handle"/> and records the message as processed, in one transaction. A message already
    /// recorded for this consumer is acknowledged without running again.
    /// </summary>
    /// <returns>False when the message had been processed before.</returns>
    public static async Task<bool> ProcessOnceAsync<TMessage>(this DbContext db, ConsumeContext<TMessage> context,
        string consumer, Func<CancellationToken, Task> handle)
        where TMessage : class
    {
        var handled = await ProcessOnceAsync(db, [context], consumer, (_, ct) => handle(ct), context.CancellationToken);
        return handled.Count == 1;
    }

    /// <summary>
    /// The same for events that arrived together (<see cref="ListEventConsumer{TEvent}"/>): one lookup for those
    /// processed before, then <paramref name="handle"/> for the others and one inbox row each, in one transaction.
    /// </summary>
    /// <returns>The events handled now; those processed before are acknowledged without running again.</returns>
    public static async Task<IReadOnlyList<TMessage>> ProcessOnceAsync<TMessage>(this DbContext db, IReadOnlyList<ConsumeContext<TMessage>> messages,
        string consumer, Func<IReadOnlyList<TMessage>, CancellationToken, Task> handle, CancellationToken ct)
        where TMessage : class
    {
        // A redelivered event can arrive together with its first delivery: each is handled once.
        var byId = messages.DistinctBy(MessageId).ToDictionary(MessageId, m => m.Message);
        var fresh = await NotProcessedAsync(db, [.. byId.Keys], consumer, ct);
        if (fresh.Count == 0)
        {
            return [];
        }

        var events = fresh.Select(id => byId[id]).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            // The handler may write in bulk (on PostgreSQL at once), so its own unique violations surface here too.
            await handle(events, ct);
            // Added after the handler, so that its bulk writes need not save them first: one round trip fewer, and the
            // same transaction either way.
            var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            db.Set<InboxMessage>().AddRange(fresh.Select(id => new InboxMessage { MessageId = id, Consumer = consumer, ProcessedAtMs = at }));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return events;
        }
        catch (Exception e) when (e.IsUniqueViolation() || e is DbUpdateConcurrencyException)
        {
            // A concurrent delivery of the same event won the race, or the handler hit a unique key or a version a
            // concurrent event also claimed: start over from a clean slate (MassTransit retries), and the check above
            // decides. (The inbox rows go in last, so a duplicate delivery meets the handler's own keys or versions first.)
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            if ((await NotProcessedAsync(db, fresh, consumer, CancellationToken.None)).Count == 0)
            {
                return [];
            }

            throw;
        }
    }

    private static Guid MessageId<TMessage>(ConsumeContext<TMessage> context)
        where TMessage : class =>
        context.MessageId ?? throw new InvalidOperationException(
            $"{typeof(TMessage).Name} arrived without a MessageId; the inbox cannot tell a resend from a new message.");

    private static async Task<IReadOnlyList<Guid>> NotProcessedAsync(DbContext db, IReadOnlyList<Guid> messageIds, string consumer, CancellationToken ct)
    {
        if (messageIds.Count == 1)
        {
            // The common case on its own: a plain equality, one prepared statement.
            var id = messageIds[0];
            return await db.Set<InboxMessage>().AnyAsync(m => m.MessageId == id && m.Consumer == consumer, ct) ? [] : messageIds;
        }

        var seen = await db.Set<InboxMessage>().Where(m => m.Consumer == consumer && messageIds.Contains(m.MessageId))
            .Select(m => m.MessageId).ToListAsync(ct);
        return [.. messageIds.Except(seen)];
    }
}
