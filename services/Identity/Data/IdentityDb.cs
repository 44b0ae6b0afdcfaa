using CreditBank.Identity.Domain;
using CreditBank.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Identity.Data;

/// <summary>The identity service's own database: OpenIddict's clients, authorizations and tokens, and people.</summary>
public abstract class IdentityDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Person> People => Set<Person>();

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
            e.Ignore(p => p.AllowedScopes);
            e.HasIndex(p => p.UserName).IsUnique();
            e.HasIndex(p => p.DocumentHash).IsUnique();
        });
    }
}

public sealed class SqliteIdentityDb(DbContextOptions<SqliteIdentityDb> options) : IdentityDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configuration) => configuration.UseSqliteConventions();
}

public sealed class PostgresIdentityDb(DbContextOptions<PostgresIdentityDb> options) : IdentityDb(options);
