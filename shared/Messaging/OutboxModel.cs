using Microsoft.EntityFrameworkCore;

namespace CreditBank.Messaging;

public static class OutboxModel
{
    /// <summary>Adds the <c>outbox_messages</c> and <c>inbox_messages</c> tables to a service's model.</summary>
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Sequence);
            e.Property(m => m.Sequence).HasColumnName("sequence").ValueGeneratedOnAdd();
            e.Property(m => m.Id).HasColumnName("id");
            e.Property(m => m.Type).HasColumnName("type").HasMaxLength(256);
            e.Property(m => m.Body).HasColumnName("body");
            e.Property(m => m.CreatedAtMs).HasColumnName("created_at_ms");
            e.Property(m => m.Attempts).HasColumnName("attempts");
            e.Property(m => m.LockedUntilMs).HasColumnName("locked_until_ms");
            e.Property(m => m.PublishedAtMs).HasColumnName("published_at_ms");
            e.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(2000);
            e.HasIndex(m => m.Id).IsUnique();
            // The relay's scan: unpublished rows in commit order.
            e.HasIndex(m => new { m.PublishedAtMs, m.Sequence });
        });
        model.Entity<InboxMessage>(e =>
        {
            e.ToTable("inbox_messages");
            e.HasKey(m => new { m.MessageId, m.Consumer });
            e.Property(m => m.MessageId).HasColumnName("message_id");
            e.Property(m => m.Consumer).HasColumnName("consumer").HasMaxLength(200);
            e.Property(m => m.ProcessedAtMs).HasColumnName("processed_at_ms");
        });
        return model;
    }
}
