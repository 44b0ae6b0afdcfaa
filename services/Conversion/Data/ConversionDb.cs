using CreditBank.Conversion.Domain;
using CreditBank.Messaging;
using CreditBank.Persistence;
using CreditBank.Persistence.Audit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Conversion.Data;

/// <summary>
/// The conversion service's own database: programmes and their versions, rule versions, learners' outcomes and
/// recognition's grading schemes (read models), applications.
/// </summary>
public abstract class ConversionDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<ProgrammeRecord> Programmes => Set<ProgrammeRecord>();

    public DbSet<ProgrammeVersionRecord> ProgrammeVersions => Set<ProgrammeVersionRecord>();

    public DbSet<GradingSchemeRecord> GradingSchemes => Set<GradingSchemeRecord>();

    public DbSet<RuleVersionRecord> RuleVersions => Set<RuleVersionRecord>();

    public DbSet<LearnerOutcome> LearnerOutcomes => Set<LearnerOutcome>();

    public DbSet<ApplicationRecord> Applications => Set<ApplicationRecord>();

    public DbSet<ApplicationOutcome> ApplicationOutcomes => Set<ApplicationOutcome>();

    public DbSet<OutcomeFeedCursor> OutcomeFeedCursors => Set<OutcomeFeedCursor>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.AddAuditEntries();
        model.Entity<ProgrammeRecord>(e =>
        {
            e.ToTable("programmes");
            e.HasKey(p => p.Code);
            e.Property(p => p.Code).HasMaxLength(40);
            e.Property(p => p.InstitutionCode).HasMaxLength(18);
            e.HasIndex(p => new { p.InstitutionCode, p.Code });
        });
        model.Entity<ProgrammeVersionRecord>(e =>
        {
            e.ToTable("programme_versions");
            e.HasKey(p => new { p.ProgrammeCode, p.Version });
            e.Property(p => p.ProgrammeCode).HasMaxLength(40);
            e.Property(p => p.CreatedBy).HasMaxLength(120);
        });
        model.Entity<GradingSchemeRecord>(e =>
        {
            e.ToTable("grading_schemes");
            e.HasKey(g => g.Code);
            e.Property(g => g.Code).HasMaxLength(40);
            e.Property(g => g.DefinedAt).IsConcurrencyToken();
        });
        model.Entity<RuleVersionRecord>(e =>
        {
            e.ToTable("rule_versions");
            e.HasKey(r => new { r.RuleId, r.Version });
            e.Property(r => r.RuleId).HasMaxLength(60);
            e.Property(r => r.ProgrammeCode).HasMaxLength(40);
            e.Property(r => r.CreatedBy).HasMaxLength(120);
            e.HasIndex(r => r.ProgrammeCode);
        });
        model.Entity<LearnerOutcome>(e =>
        {
            e.ToTable("learner_outcomes");
            e.HasKey(o => o.OutcomeId);
            e.Property(o => o.LearnerDocumentType).HasMaxLength(30);
            e.Property(o => o.LearnerDocumentHash).HasMaxLength(64);
            e.Property(o => o.Kind).HasMaxLength(40);
            e.Property(o => o.StandardCode).HasMaxLength(60);
            e.Property(o => o.InstitutionCode).HasMaxLength(18);
            e.Property(o => o.CourseCode).HasMaxLength(40);
            e.Property(o => o.GradeScheme).HasMaxLength(20);
            e.Property(o => o.GradeValue).HasMaxLength(20);
            e.Property(o => o.Credits).HasPrecision(9, 2);
            e.Property(o => o.Title).HasMaxLength(300);
            e.HasIndex(o => o.LearnerDocumentHash);
        });
        model.Entity<ApplicationRecord>(e =>
        {
            e.ToTable("applications");
            e.HasKey(a => a.Id);
            e.Property(a => a.RequestId).HasMaxLength(100);
            e.Property(a => a.LearnerDocumentHash).HasMaxLength(64);
            e.Property(a => a.AppliedBy).HasMaxLength(120);
            e.Property(a => a.ProgrammeCode).HasMaxLength(40);
            e.Property(a => a.InstitutionCode).HasMaxLength(18);
            e.Property(a => a.Version).IsConcurrencyToken();
            e.HasIndex(a => new { a.LearnerDocumentHash, a.RequestId }).IsUnique();
            e.HasIndex(a => new { a.LearnerDocumentHash, a.ProgrammeCode });
            e.HasIndex(a => new { a.LearnerDocumentHash, a.AppliedAt });
            e.HasIndex(a => new { a.InstitutionCode, a.Status, a.AppliedAt });
        });
        model.Entity<ApplicationOutcome>(e =>
        {
            e.ToTable("application_outcomes");
            e.HasKey(a => new { a.OutcomeId, a.ApplicationId });
        });
        model.Entity<OutcomeFeedCursor>(e =>
        {
            e.ToTable("outcome_feed_cursors");
            e.HasKey(c => c.Feed);
            e.Property(c => c.Feed).HasMaxLength(40);
            e.Property(c => c.PageToken).HasMaxLength(200);
        });
        model.AddOutboxAndInbox(Database);
    }
}

public sealed class SqliteConversionDb(DbContextOptions<SqliteConversionDb> options) : ConversionDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configuration) => configuration.UseSqliteConventions();
}

public sealed class PostgresConversionDb(DbContextOptions<PostgresConversionDb> options) : ConversionDb(options);

/// <summary>A programme as it stands now: its current version's JSON definition (courses, caps) and that version's number.</summary>
public sealed class ProgrammeRecord
{
    public required string Code { get; init; }

    public required string InstitutionCode { get; init; }

    public required string Definition { get; set; }

    public int Version { get; set; } = 1;
}

/// <summary>One version of a programme, never changed: the applications evaluated under it keep citing it.</summary>
public sealed class ProgrammeVersionRecord
{
    public required string ProgrammeCode { get; init; }

    public required int Version { get; init; }

    public required string Definition { get; init; }

    public required string CreatedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A grading scheme of recognition's catalogue as conversion last learnt it (read model, from <c>GradingSchemeDefined</c>).</summary>
public sealed class GradingSchemeRecord
{
    public required string Code { get; init; }

    /// <summary>The scheme as JSON (<see cref="Domain.RegisteredGradingScheme"/>).</summary>
    public required string Definition { get; set; }

    /// <summary>When recognition defined it so: an older definition arriving later is ignored.</summary>
    public DateTimeOffset DefinedAt { get; set; }
}

/// <summary>One version of a rule, never updated except to close it (effective_to) when a newer version starts.</summary>
public sealed class RuleVersionRecord
{
    public required string RuleId { get; init; }

    public required int Version { get; init; }

    public required string ProgrammeCode { get; init; }

    public required string Definition { get; init; }

    public required DateOnly EffectiveFrom { get; init; }

    public DateOnly? EffectiveTo { get; set; }

    public required string CreatedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// How far conversion has read a change feed (<c>OutcomeFeed/</c>): written in the transaction that wrote the page's
/// rows, so a restart goes on from the first change not applied.
/// </summary>
public sealed class OutcomeFeedCursor
{
    /// <summary>Whose feed: <c>recognition</c>.</summary>
    public required string Feed { get; init; }

    /// <summary>The feed's <c>next_page_token</c> after the last page applied (opaque).</summary>
    public required string PageToken { get; set; }

    /// <summary>Changes applied so far.</summary>
    public long ChangesRead { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A learner's recognised outcome as conversion keeps it (read model, built from recognition's events and change feed).</summary>
public sealed class LearnerOutcome
{
    public Guid OutcomeId { get; init; }

    /// <summary>As events name it, e.g. <c>RESIDENT_ID_CARD</c>: a conversion names the learner's document to accounts.</summary>
    public required string LearnerDocumentType { get; init; }

    public required string LearnerDocumentHash { get; init; }

    public required string Kind { get; init; }

    public string? StandardCode { get; init; }

    public int Level { get; init; }

    public required string InstitutionCode { get; init; }

    public string? CourseCode { get; init; }

    public string? GradeScheme { get; init; }

    public string? GradeValue { get; init; }

    public int Hours { get; init; }

    public decimal Credits { get; init; }

    public DateOnly AchievedOn { get; init; }

    public bool Revoked { get; set; }

    public string Title { get; init; } = string.Empty;
}

/// <summary>A conversion application; its items (exemptions and their decisions) are kept as JSON.</summary>
public sealed class ApplicationRecord
{
    public Guid Id { get; init; }

    public required string RequestId { get; init; }

    public required string LearnerDocumentHash { get; init; }

    public required string AppliedBy { get; init; }

    public required string ProgrammeCode { get; init; }

    public required string InstitutionCode { get; init; }

    /// <summary>The programme version it was evaluated under.</summary>
    public int ProgrammeVersion { get; init; } = 1;

    public ApplicationStatus Status { get; set; }

    public required string Items { get; set; }

    public DateTimeOffset AppliedAt { get; init; }

    public int Version { get; set; }
}

/// <summary>Which applications used an outcome: how a revocation finds the conversions to flag.</summary>
public sealed class ApplicationOutcome
{
    public Guid OutcomeId { get; init; }

    public Guid ApplicationId { get; init; }
}
