using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CreditBank.Messaging;

public static class OutboxModel
{
    /// <summary>Adds the <c>outbox_messages</c> and <c>inbox_messages</c> tables to a service's model.</summary>
    /// <param name="model">The service's model.</param>
    /// <param name="database">The context's database, to tell PostgreSQL from SQLite.</param>
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder model, DatabaseFacade database)
    {
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Sequence);
            e.Property(m => m.Sequence).ValueGeneratedOnAdd();
            e.Property(m => m.Type).HasMaxLength(256);
            var body = e.Property(m => m.Body);
            if (database.IsNpgsql())
            {
                // A batch chunk's event is ~0.5 MB of JSON. PostgreSQL's default TOAST compression (pglz) took ~3% of
                // the machine's CPU in the batch benchmark; lz4 compresses about as well at a fraction of the cost
                // (PostgreSQL 14+ built with lz4, as the Debian and official packages are; docs/performance.md).
                body.UseCompressionMethod("lz4");
            }

            e.Property(m => m.LastError).HasMaxLength(2000);
            e.HasIndex(m => m.Id).IsUnique();
            // The relay's scan: unpublished rows in commit order.
            e.HasIndex(m => new { m.PublishedAtMs, m.Sequence });
        });
        model.Entity<InboxMessage>(e =>
        {
            e.ToTable("inbox_messages");
            e.HasKey(m => new { m.MessageId, m.Consumer });
            e.Property(m => m.Consumer).HasMaxLength(200);
            // Retention deletes by age.
            e.HasIndex(m => m.ProcessedAtMs);
        });
        return model;
    }
}
