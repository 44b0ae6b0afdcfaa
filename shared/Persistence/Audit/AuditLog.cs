using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Persistence.Audit;

/// <summary>Adds the <c>audit_entries</c> table to a service's model, and entries to its next <c>SaveChanges</c>.</summary>
public static class AuditLog
{
    public const int MaxTargetLength = 200;

    /// <summary>Readable JSON: Chinese names as they are, not as \u escapes (the entries are read by people).</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static ModelBuilder AddAuditEntries(this ModelBuilder model)
    {
        model.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_entries");
            e.HasKey(a => a.Sequence);
            e.Property(a => a.Sequence).ValueGeneratedOnAdd();
            e.Property(a => a.Actor).HasMaxLength(200);
            e.Property(a => a.Action).HasMaxLength(100);
            e.Property(a => a.Target).HasMaxLength(MaxTargetLength);
            // The two lists an administrator asks for: one target's history, and everything in a time range.
            e.HasIndex(a => new { a.Target, a.Sequence });
            e.HasIndex(a => a.At);
        });
        return model;
    }

    /// <summary>
    /// Records a change: call before <c>SaveChangesAsync</c>, so the entry commits with the change.
    /// <paramref name="before"/> and <paramref name="after"/> are serialised as JSON: pass what an auditor may read
    /// (never a secret, password hash or document number).
    /// </summary>
    public static void Audit(this DbContext db, DateTimeOffset at, string actor, string action, string target, object? before, object? after) =>
        db.Set<AuditEntry>().Add(new AuditEntry
        {
            At = at,
            Actor = actor,
            Action = action,
            Target = target,
            Before = before is null ? null : JsonSerializer.Serialize(before, before.GetType(), Json),
            After = after is null ? null : JsonSerializer.Serialize(after, after.GetType(), Json),
        });
}
