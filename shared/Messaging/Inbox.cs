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
        var messageId = context.MessageId ?? throw new InvalidOperationException(
            $"{typeof(TMessage).Name} arrived without a MessageId; the inbox cannot tell a resend from a new message.");
        var ct = context.CancellationToken;
        if (await ProcessedAsync(db, messageId, consumer, ct))
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            // The handler may write in bulk (on PostgreSQL at once), so its own unique violations surface here too.
            await handle(ct);
            // Added after the handler, so that its bulk writes need not save it first: one round trip fewer, and the
            // same transaction either way.
            db.Set<InboxMessage>().Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }
        catch (Exception e) when (e.IsUniqueViolation() || e is DbUpdateConcurrencyException)
        {
            // A concurrent delivery of the same message won the race, or the handler hit a unique key or a version a
            // concurrent message also claimed: start over from a clean slate (MassTransit retries), and the check above
            // decides. (The inbox row goes in last, so a duplicate delivery meets the handler's own keys or versions first.)
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            if (await ProcessedAsync(db, messageId, consumer, CancellationToken.None))
            {
                return false;
            }

            throw;
        }
    }

    private static Task<bool> ProcessedAsync(DbContext db, Guid messageId, string consumer, CancellationToken ct) =>
        db.Set<InboxMessage>().AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, ct);
}
