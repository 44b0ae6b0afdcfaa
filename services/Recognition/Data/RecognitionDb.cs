using System.Text.Json;
using CreditBank.Messaging;
using CreditBank.Persistence;
using CreditBank.Persistence.Audit;
using CreditBank.Recognition.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace CreditBank.Recognition.Data;

/// <summary>The recognition service's own database: the catalogue, outcomes, submissions, reviews, batches, outbox.</summary>
public abstract class RecognitionDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Institution> Institutions => Set<Institution>();

    public DbSet<Outcome> Outcomes => Set<Outcome>();

    public DbSet<Submission> Submissions => Set<Submission>();

    public DbSet<Workstation> Workstations => Set<Workstation>();

    public DbSet<FrameworkLevel> FrameworkLevels => Set<FrameworkLevel>();

    public DbSet<AccreditationUnit> AccreditationUnits => Set<AccreditationUnit>();

    public DbSet<GradingSchemeDefinition> GradingSchemes => Set<GradingSchemeDefinition>();

    public DbSet<ReviewTask> ReviewTasks => Set<ReviewTask>();

    public DbSet<Batch> Batches => Set<Batch>();

    public DbSet<BatchLineRecord> BatchLines => Set<BatchLineRecord>();

    public DbSet<OutcomeChange> OutcomeChanges => Set<OutcomeChange>();

    public DbSet<EvidenceFile> EvidenceFiles => Set<EvidenceFile>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.AddAuditEntries();
        model.Entity<Institution>(e =>
        {
            e.ToTable("institutions");
            e.HasKey(i => i.Code);
            e.Property(i => i.Code).HasMaxLength(18);
            e.Property(i => i.Name).HasMaxLength(200);
            e.Property(i => i.Kind).HasMaxLength(40);
            e.Property(i => i.Region).HasMaxLength(20);
        });

        model.Entity<Outcome>(e =>
        {
            e.ToTable("outcomes");
            e.HasKey(o => o.Id);
            e.Ignore(o => o.Detail);
            e.Ignore(o => o.Title);
            e.Property(o => o.InstitutionCode).HasMaxLength(18);
            e.Property(o => o.LearnerDocumentHash).HasMaxLength(64);
            e.Property(o => o.LearnerDocumentMasked).HasMaxLength(40);
            e.Property(o => o.LearnerDocumentSealed).HasMaxLength(200);
            e.Property(o => o.LearnerName).HasMaxLength(100);
            e.Property(o => o.StatusReasonCode).HasMaxLength(64);
            e.Property(o => o.StatusReason).HasMaxLength(500);
            e.Property(o => o.Credits).HasPrecision(9, 2);
            e.Property(o => o.DecidedBy).HasMaxLength(120);
            e.Property(o => o.CourseCode).HasMaxLength(40);
            e.Property(o => o.CourseTitle).HasMaxLength(200);
            e.Property(o => o.CourseCredits).HasPrecision(9, 2);
            e.Property(o => o.CourseTerm).HasMaxLength(20);
            e.Property(o => o.GradeValue).HasMaxLength(20);
            e.Property(o => o.CertificateName).HasMaxLength(200);
            e.Property(o => o.CertificateNumber).HasMaxLength(64);
            e.Property(o => o.GradeSchemeCode).HasMaxLength(40);
            e.Property(o => o.DetailProvider).HasMaxLength(200);
            e.Property(o => o.WorkstationCode).HasMaxLength(40);
            e.Property(o => o.DuplicateKey).HasMaxLength(64);
            e.Property(o => o.AttachmentSha256).HasMaxLength(64);
            e.Property(o => o.UnitCode).HasMaxLength(40);
            e.Property(o => o.RevokedBy).HasMaxLength(120);
            e.Property(o => o.Version).IsConcurrencyToken();
            // One outcome however often it is sent: the database enforces what the duplicate check decides.
            e.HasIndex(o => o.DuplicateKey).IsUnique();
            e.HasIndex(o => o.LearnerDocumentHash);
            e.HasIndex(o => new { o.InstitutionCode, o.SubmittedAt });
        });

        model.Entity<Submission>(e =>
        {
            e.ToTable("submissions");
            e.HasKey(s => new { s.InstitutionCode, s.RequestId });
            e.Property(s => s.InstitutionCode).HasMaxLength(18);
            e.Property(s => s.RequestId).HasMaxLength(100);
        });

        model.Entity<Workstation>(e =>
        {
            e.ToTable("workstations");
            e.HasKey(w => w.Code);
            e.Property(w => w.Code).HasMaxLength(40);
            e.Property(w => w.Name).HasMaxLength(100);
            e.Property(w => w.DistrictCodes).HasMaxLength(2000)
                .HasConversion(v => string.Join(',', v), v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(),
                    new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, d) => HashCode.Combine(h, d)), v => v.ToList()));
            e.Property(w => w.ReviewerSubjects).HasMaxLength(4000)
                .HasConversion(v => string.Join(',', v), v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(),
                    new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, d) => HashCode.Combine(h, d)), v => v.ToList()));
        });

        model.Entity<FrameworkLevel>(e =>
        {
            e.ToTable("framework_levels");
            e.HasKey(l => l.Level);
            e.Property(l => l.Level).ValueGeneratedNever();
            e.Property(l => l.Name).HasMaxLength(40);
            e.Property(l => l.Descriptor).HasMaxLength(500);
        });

        model.Entity<AccreditationUnit>(e =>
        {
            e.ToTable("accreditation_units");
            e.HasKey(u => u.Code);
            e.Property(u => u.Code).HasMaxLength(40);
            e.Property(u => u.Name).HasMaxLength(200);
            e.Property(u => u.Credits).HasPrecision(9, 2);
            e.Property(u => u.MinCredits).HasPrecision(9, 2);
            e.Property(u => u.MaxCredits).HasPrecision(9, 2);
            e.Property(u => u.Criteria).HasMaxLength(1000);
            e.Property(u => u.Version).IsConcurrencyToken();
            e.Property(u => u.ChangedBy).HasMaxLength(120);
        });

        model.Entity<GradingSchemeDefinition>(e =>
        {
            e.ToTable("grading_schemes");
            e.HasKey(g => g.Code);
            e.Ignore(g => g.IsNumeric);
            e.Property(g => g.Code).HasMaxLength(40);
            e.Property(g => g.Name).HasMaxLength(100);
            e.Property(g => g.Kind).HasMaxLength(20);
            e.Property(g => g.Min).HasPrecision(9, 2);
            e.Property(g => g.Max).HasPrecision(9, 2);
            e.Property(g => g.PassMark).HasPrecision(9, 2);
            e.Property(g => g.Values).HasColumnName("grade_values").HasMaxLength(2000)
                .HasConversion(v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web),
                    v => JsonSerializer.Deserialize<List<GradeValue>>(v, JsonSerializerOptions.Web) ?? new List<GradeValue>(),
                    new ValueComparer<List<GradeValue>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));
        });

        model.Entity<ReviewTask>(e =>
        {
            e.ToTable("review_tasks");
            e.HasKey(r => r.Sequence);
            e.Ignore(r => r.IsOpen);
            e.Property(r => r.Sequence).ValueGeneratedOnAdd();
            e.Property(r => r.WorkstationCode).HasMaxLength(40);
            e.Property(r => r.QueuedReasonCode).HasMaxLength(64);
            e.Property(r => r.SuggestedUnitCode).HasMaxLength(40);
            e.Property(r => r.SuggestedCredits).HasPrecision(9, 2);
            e.Property(r => r.ClaimedBy).HasMaxLength(120);
            e.Property(r => r.Decision).HasMaxLength(20);
            e.Property(r => r.DecisionReasonCode).HasMaxLength(64);
            e.Property(r => r.Comment).HasMaxLength(500);
            e.Property(r => r.DecidedBy).HasMaxLength(120);
            e.HasIndex(r => r.OutcomeId).IsUnique();
            // The queue: a workstation's open tasks in order.
            e.HasIndex(r => new { r.WorkstationCode, r.DecidedAt, r.Sequence });
        });

        model.Entity<Batch>(e =>
        {
            e.ToTable("batches");
            e.HasKey(b => b.Id);
            e.Property(b => b.InstitutionCode).HasMaxLength(18);
            e.Property(b => b.RequestId).HasMaxLength(100);
            // Two streams resuming one batch at once: the second one's chunk loses and is retried by its client.
            e.Property(b => b.LastLine).IsConcurrencyToken();
            e.HasIndex(b => new { b.InstitutionCode, b.RequestId }).IsUnique();
        });

        model.Entity<BatchLineRecord>(e =>
        {
            e.ToTable("batch_lines");
            e.HasKey(l => new { l.BatchId, l.LineNumber });
            e.Property(l => l.Credits).HasPrecision(9, 2);
            e.Property(l => l.Violations).HasMaxLength(4000);
        });

        model.Entity<OutcomeChange>(e =>
        {
            e.ToTable("outcome_changes");
            e.HasKey(c => c.Position);
            e.Property(c => c.Position).ValueGeneratedOnAdd();
            e.Property(c => c.Change).HasConversion<int>();
            e.Property(c => c.Actor).HasMaxLength(120);
            e.Property(c => c.InstitutionCode).HasMaxLength(18);
            e.Property(c => c.LearnerDocumentType).HasMaxLength(30);
            e.Property(c => c.LearnerDocumentHash).HasMaxLength(64);
            e.Property(c => c.Title).HasMaxLength(300);
            e.Property(c => c.Credits).HasPrecision(9, 2);
            e.Property(c => c.UnitCode).HasMaxLength(40);
            e.Property(c => c.StandardCode).HasMaxLength(40);
            e.Property(c => c.CourseCode).HasMaxLength(40);
            e.Property(c => c.GradeScheme).HasMaxLength(40);
            e.Property(c => c.GradeValue).HasMaxLength(20);
            e.Property(c => c.ReasonCode).HasMaxLength(64);
            // The feed's order and its keyset paging: one index range scan per page, whatever its depth.
            e.HasIndex(c => new { c.WriterXid, c.Position }).IsUnique();
        });

        model.Entity<EvidenceFile>(e =>
        {
            e.ToTable("evidence_files");
            e.HasKey(f => f.Id);
            e.Property(f => f.FileName).HasMaxLength(EvidenceFile.FileNameLength);
            e.Property(f => f.ContentType).HasMaxLength(40);
            e.Property(f => f.Sha256).HasMaxLength(64);
            e.HasIndex(f => new { f.OutcomeId, f.Position }).IsUnique();
        });

        model.AddOutboxAndInbox(Database);
    }
}

public sealed class SqliteRecognitionDb(DbContextOptions<SqliteRecognitionDb> options) : RecognitionDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configuration) => configuration.UseSqliteConventions();
}

public sealed class PostgresRecognitionDb(DbContextOptions<PostgresRecognitionDb> options) : RecognitionDb(options);
