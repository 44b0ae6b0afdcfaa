using CreditBank.Identity.Domain;
using CreditBank.Messaging;
using CreditBank.Persistence;
using CreditBank.Persistence.Audit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Identity.Data;

/// <summary>
/// The identity service's own database: OpenIddict's clients, authorizations and tokens, people, institutions, the audit
/// of administrative changes, and the outbox.
/// </summary>
public abstract class IdentityDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Person> People => Set<Person>();

    public DbSet<Institution> Institutions => Set<Institution>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.UseOpenIddict();
        model.Entity<Person>(e =>
        {
            e.ToTable("people");
            e.HasKey(p => p.Id);
            e.Property(p => p.UserName).HasMaxLength(100);
            e.Property(p => p.PasswordHash).HasMaxLength(200);
            e.Property(p => p.DisplayName).HasMaxLength(100);
            e.Property(p => p.Role).HasMaxLength(20);
            e.Property(p => p.Workstation).HasMaxLength(40);
            e.Property(p => p.DocumentHash).HasMaxLength(64);
            e.Property(p => p.PendingDocumentSealed).HasMaxLength(200);
            e.Property(p => p.Contact).HasMaxLength(100);
            e.Ignore(p => p.AllowedScopes);
            e.HasIndex(p => p.UserName).IsUnique();
            e.HasIndex(p => p.DocumentHash).IsUnique();
        });
        model.Entity<Institution>(e =>
        {
            e.ToTable("institutions");
            e.HasKey(i => i.Code);
            e.Property(i => i.Code).HasMaxLength(18);
            e.Property(i => i.Name).HasMaxLength(100);
            e.Property(i => i.Kind).HasMaxLength(20);
            e.Property(i => i.Region).HasMaxLength(10);
            e.Property(i => i.ClientId).HasMaxLength(40);
            e.Property(i => i.PreviousSecretHash).HasMaxLength(400);
            e.HasIndex(i => i.ClientId).IsUnique();
        });
        model.AddAuditEntries();
        model.AddOutboxAndInbox(Database);
    }
}

public sealed class SqliteIdentityDb(DbContextOptions<SqliteIdentityDb> options) : IdentityDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configuration) => configuration.UseSqliteConventions();
}

public sealed class PostgresIdentityDb(DbContextOptions<PostgresIdentityDb> options) : IdentityDb(options);
