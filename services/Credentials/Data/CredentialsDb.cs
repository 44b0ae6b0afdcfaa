using CreditBank.Messaging;
using CreditBank.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Credentials.Data;

/// <summary>
/// The credentials service's own database: the outcomes and exemptions it can state (built from events), its status
/// lists, the credentials it issued and the decisions it signed. Columns are named by convention (snake_case,
/// <c>UseSnakeCaseNamingConvention</c> where the context is configured).
/// </summary>
public abstract class CredentialsDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<OutcomeRecord> Outcomes => Set<OutcomeRecord>();

    public DbSet<ConversionItemRecord> ConversionItems => Set<ConversionItemRecord>();

    public DbSet<ConversionOutcome> ConversionOutcomes => Set<ConversionOutcome>();

    public DbSet<StatusListRecord> StatusLists => Set<StatusListRecord>();

    public DbSet<IssuedCredentialRecord> IssuedCredentials => Set<IssuedCredentialRecord>();

    public DbSet<DecisionRecord> Decisions => Set<DecisionRecord>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<OutcomeRecord>(e =>
        {
            e.ToTable("outcomes");
            e.HasKey(o => o.OutcomeId);
            e.Property(o => o.LearnerDocumentType).HasMaxLength(30);
            e.Property(o => o.LearnerDocumentHash).HasMaxLength(64);
            e.Property(o => o.LearnerDocumentSealed).HasMaxLength(200);
            e.Property(o => o.InstitutionCode).HasMaxLength(18);
            e.Property(o => o.Kind).HasMaxLength(40);
            e.Property(o => o.Title).HasMaxLength(300);
            e.Property(o => o.Credits).HasPrecision(9, 2);
            e.Property(o => o.UnitCode).HasMaxLength(60);
            e.Property(o => o.UnitDefinitionSha256).HasMaxLength(64);
            e.Property(o => o.CourseCode).HasMaxLength(40);
            e.Property(o => o.GradeScheme).HasMaxLength(20);
            e.Property(o => o.GradeValue).HasMaxLength(20);
            e.Property(o => o.Version).IsConcurrencyToken();
            e.HasIndex(o => o.LearnerDocumentHash);
            // Each bit is one outcome's: defence in depth beside the list's own record of used indexes.
            e.HasIndex(o => new { o.StatusListId, o.StatusIndex }).IsUnique();
        });
        model.Entity<ConversionItemRecord>(e =>
        {
            e.ToTable("conversion_items");
            e.HasKey(c => new { c.ApplicationId, c.ItemNumber });
            e.Property(c => c.LearnerDocumentType).HasMaxLength(30);
            e.Property(c => c.LearnerDocumentHash).HasMaxLength(64);
            e.Property(c => c.ProgrammeCode).HasMaxLength(40);
            e.Property(c => c.InstitutionCode).HasMaxLength(18);
            e.Property(c => c.RuleId).HasMaxLength(60);
            e.Property(c => c.RuleDefinitionSha256).HasMaxLength(64);
            e.Property(c => c.CourseCodes).HasMaxLength(400);
            e.Property(c => c.Credits).HasPrecision(9, 2);
            e.HasIndex(c => c.LearnerDocumentHash);
            e.HasIndex(c => new { c.StatusListId, c.StatusIndex }).IsUnique();
        });
        model.Entity<ConversionOutcome>(e =>
        {
            e.ToTable("conversion_outcomes");
            e.HasKey(c => new { c.OutcomeId, c.ApplicationId, c.ItemNumber });
        });
        model.Entity<StatusListRecord>(e =>
        {
            e.ToTable("status_lists");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).ValueGeneratedNever();
            e.Property(s => s.Purpose).HasMaxLength(20);
            e.Property(s => s.Version).IsConcurrencyToken();
        });
        model.Entity<IssuedCredentialRecord>(e =>
        {
            e.ToTable("issued_credentials");
            e.HasKey(c => c.Id);
            e.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(c => c.LearnerDocumentHash).HasMaxLength(64);
            e.Property(c => c.KeyId).HasMaxLength(300);
            e.HasIndex(c => c.LearnerDocumentHash);
        });
        model.Entity<DecisionRecord>(e =>
        {
            e.ToTable("signed_decisions");
            e.HasKey(d => new { d.SubjectId, d.Kind });
            e.Property(d => d.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(d => d.InstitutionCode).HasMaxLength(18);
            e.Property(d => d.LearnerDocumentHash).HasMaxLength(64);
            e.Property(d => d.KeyId).HasMaxLength(300);
        });
        model.AddOutboxAndInbox(Database);
    }
}

public sealed class SqliteCredentialsDb(DbContextOptions<SqliteCredentialsDb> options) : CredentialsDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configuration) => configuration.UseSqliteConventions();
}

public sealed class PostgresCredentialsDb(DbContextOptions<PostgresCredentialsDb> options) : CredentialsDb(options)
{
    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        // A credential's VC-JWT is base64 (~7 KB for an outcome's; a transcript keeps only its header and signature).
        // PostgreSQL's default TOAST compression (pglz) was slow on such text and barely shrank it; LZ4 is quick.
        model.Entity<IssuedCredentialRecord>().Property(c => c.Jwt).UseCompressionMethod("lz4");
    }
}
