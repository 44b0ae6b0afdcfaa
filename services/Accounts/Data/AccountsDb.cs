using CreditBank.Accounts.Domain;
using CreditBank.Messaging;
using CreditBank.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Accounts.Data;

/// <summary>The accounts service's own database: accounts, the credit ledger, inbox and outbox.</summary>
public abstract class AccountsDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseLedgerEdits();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseLedgerEdits();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Account>(e =>
        {
            e.ToTable("accounts");
            e.HasKey(a => a.Id);
            e.Property(a => a.DocumentHash).HasMaxLength(64);
            e.Property(a => a.DocumentMasked).HasMaxLength(40);
            e.Property(a => a.DocumentSealed).HasMaxLength(200);
            e.Property(a => a.Name).HasMaxLength(100);
            e.Property(a => a.OpenedBy).HasMaxLength(120);
            e.Property(a => a.Version).IsConcurrencyToken();
            e.Property(a => a.ClaimedBy).HasMaxLength(100);
            e.ComplexProperty(a => a.Holdings, h =>
            {
                h.Property(x => x.Course).HasColumnName("course_credits").HasPrecision(12, 2);
                h.Property(x => x.SkillCertificate).HasColumnName("skill_certificate_credits").HasPrecision(12, 2);
                h.Property(x => x.VocationalQualification).HasColumnName("vocational_qualification_credits").HasPrecision(12, 2);
                h.Property(x => x.SpecialAbility).HasColumnName("special_ability_credits").HasPrecision(12, 2);
                h.Property(x => x.TrainingRecord).HasColumnName("training_record_credits").HasPrecision(12, 2);
                h.Property(x => x.CompetitionAward).HasColumnName("competition_award_credits").HasPrecision(12, 2);
                h.Property(x => x.InformalOutcome).HasColumnName("informal_outcome_credits").HasPrecision(12, 2);
                h.Property(x => x.Converted).HasColumnName("converted_credits").HasPrecision(12, 2);
                h.Ignore(x => x.Balances);
            });
            e.HasIndex(a => a.DocumentHash).IsUnique();
            e.HasIndex(a => a.ClaimedBy).IsUnique();
        });

        model.Entity<LedgerEntry>(e =>
        {
            e.ToTable("ledger_entries");
            e.HasKey(l => l.Id);
            e.Property(l => l.Credits).HasPrecision(9, 2);
            e.Property(l => l.Description).HasMaxLength(300);
            e.Property(l => l.Actor).HasMaxLength(120);
            e.HasOne<Account>().WithMany().HasForeignKey(l => l.AccountId);
            e.HasIndex(l => new { l.AccountId, l.Sequence }).IsUnique();
            // Defence in depth behind the inbox: one deposit and one reversal per outcome, ever.
            e.HasIndex(l => new { l.OutcomeId, l.Kind }).IsUnique().HasFilter("kind IN (1, 2)");
        });

        model.AddOutboxAndInbox(Database);
    }

    private void RefuseLedgerEdits()
    {
        foreach (var entry in ChangeTracker.Entries<LedgerEntry>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException(
                    $"Ledger entry {entry.Entity.Id} would be {entry.State.ToString().ToLowerInvariant()}: the credit ledger is append-only; post a correcting entry instead.");
            }
        }
    }
}

public sealed class SqliteAccountsDb(DbContextOptions<SqliteAccountsDb> options) : AccountsDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configuration) => configuration.UseSqliteConventions();
}

public sealed class PostgresAccountsDb(DbContextOptions<PostgresAccountsDb> options) : AccountsDb(options);
