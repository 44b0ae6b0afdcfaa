using System.Text.Json;
using CreditBank.Messaging;
using CreditBank.Persistence;
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

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Institution>(e =>
        {
            e.ToTable("institutions");
            e.HasKey(i => i.Code);
            e.Property(i => i.Code).HasColumnName("code").HasMaxLength(18);
            e.Property(i => i.Name).HasColumnName("name").HasMaxLength(200);
            e.Property(i => i.Kind).HasColumnName("kind").HasMaxLength(40);
            e.Property(i => i.Region).HasColumnName("region").HasMaxLength(20);
            e.Property(i => i.IsTrustedIssuer).HasColumnName("is_trusted_issuer");
        });

        model.Entity<Outcome>(e =>
        {
            e.ToTable("outcomes");
            e.HasKey(o => o.Id);
            e.Ignore(o => o.Detail);
            e.Ignore(o => o.Title);
            e.Property(o => o.Id).HasColumnName("id");
            e.Property(o => o.InstitutionCode).HasColumnName("institution_code").HasMaxLength(18);
            e.Property(o => o.Kind).HasColumnName("kind");
            e.Property(o => o.LearnerDocumentType).HasColumnName("learner_document_type");
            e.Property(o => o.LearnerDocumentHash).HasColumnName("learner_document_hash").HasMaxLength(64);
            e.Property(o => o.LearnerDocumentMasked).HasColumnName("learner_document_masked").HasMaxLength(40);
            e.Property(o => o.LearnerDocumentSealed).HasColumnName("learner_document_sealed").HasMaxLength(200);
            e.Property(o => o.LearnerName).HasColumnName("learner_name").HasMaxLength(100);
            e.Property(o => o.Status).HasColumnName("status");
            e.Property(o => o.StatusReasonCode).HasColumnName("status_reason_code").HasMaxLength(64);
            e.Property(o => o.StatusReason).HasColumnName("status_reason").HasMaxLength(500);
            e.Property(o => o.Credits).HasColumnName("credits").HasPrecision(9, 2);
            e.Property(o => o.SubmittedAt).HasColumnName("submitted_at");
            e.Property(o => o.DecidedAt).HasColumnName("decided_at");
            e.Property(o => o.DecidedBy).HasColumnName("decided_by").HasMaxLength(120);
            e.Property(o => o.CourseCode).HasColumnName("course_code").HasMaxLength(40);
            e.Property(o => o.CourseTitle).HasColumnName("course_title").HasMaxLength(200);
            e.Property(o => o.CourseCredits).HasColumnName("course_credits").HasPrecision(9, 2);
            e.Property(o => o.CourseHours).HasColumnName("course_hours");
            e.Property(o => o.CourseTerm).HasColumnName("course_term").HasMaxLength(20);
            e.Property(o => o.GradeScheme).HasColumnName("grade_scheme");
            e.Property(o => o.GradeValue).HasColumnName("grade_value").HasMaxLength(20);
            e.Property(o => o.CertificateName).HasColumnName("certificate_name").HasMaxLength(200);
            e.Property(o => o.SkillLevel).HasColumnName("skill_level");
            e.Property(o => o.CertificateNumber).HasColumnName("certificate_number").HasMaxLength(64);
            e.Property(o => o.CertificateIssueDate).HasColumnName("certificate_issue_date");
            e.Property(o => o.GradeSchemeCode).HasColumnName("grade_scheme_code").HasMaxLength(40);
            e.Property(o => o.DetailLevel).HasColumnName("detail_level");
            e.Property(o => o.DetailRank).HasColumnName("detail_rank");
            e.Property(o => o.DetailHours).HasColumnName("detail_hours");
            e.Property(o => o.DetailType).HasColumnName("detail_type");
            e.Property(o => o.DetailProvider).HasColumnName("detail_provider").HasMaxLength(200);
            e.Property(o => o.WorkstationCode).HasColumnName("workstation_code").HasMaxLength(40);
            e.Property(o => o.DuplicateKey).HasColumnName("duplicate_key").HasMaxLength(64);
            e.Property(o => o.AttachmentSha256).HasColumnName("attachment_sha256").HasMaxLength(64);
            e.Property(o => o.BatchId).HasColumnName("batch_id");
            e.Property(o => o.UnitCode).HasColumnName("unit_code").HasMaxLength(40);
            e.Property(o => o.UnitVersion).HasColumnName("unit_version");
            e.Property(o => o.RevokedAt).HasColumnName("revoked_at");
            e.Property(o => o.RevokedBy).HasColumnName("revoked_by").HasMaxLength(120);
            e.Property(o => o.Version).HasColumnName("version").IsConcurrencyToken();
            // One outcome however often it is sent: the database enforces what the duplicate check decides.
            e.HasIndex(o => o.DuplicateKey).IsUnique();
            e.HasIndex(o => o.LearnerDocumentHash);
            e.HasIndex(o => new { o.InstitutionCode, o.SubmittedAt });
        });

        model.Entity<Submission>(e =>
        {
            e.ToTable("submissions");
            e.HasKey(s => new { s.InstitutionCode, s.RequestId });
            e.Property(s => s.InstitutionCode).HasColumnName("institution_code").HasMaxLength(18);
            e.Property(s => s.RequestId).HasColumnName("request_id").HasMaxLength(100);
            e.Property(s => s.Fingerprint).HasColumnName("fingerprint");
            e.Property(s => s.OutcomeId).HasColumnName("outcome_id");
            e.Property(s => s.Response).HasColumnName("response");
            e.Property(s => s.CreatedAt).HasColumnName("created_at");
        });

        model.Entity<Workstation>(e =>
        {
            e.ToTable("workstations");
            e.HasKey(w => w.Code);
            e.Property(w => w.Code).HasColumnName("code").HasMaxLength(40);
            e.Property(w => w.Name).HasColumnName("name").HasMaxLength(100);
            e.Property(w => w.IsDefault).HasColumnName("is_default");
            e.Property(w => w.DistrictCodes).HasColumnName("district_codes").HasMaxLength(2000)
                .HasConversion(v => string.Join(',', v), v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(),
                    new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, d) => HashCode.Combine(h, d)), v => v.ToList()));
        });

        model.Entity<FrameworkLevel>(e =>
        {
            e.ToTable("framework_levels");
            e.HasKey(l => l.Level);
            e.Property(l => l.Level).HasColumnName("level").ValueGeneratedNever();
            e.Property(l => l.Name).HasColumnName("name").HasMaxLength(40);
            e.Property(l => l.Descriptor).HasColumnName("descriptor").HasMaxLength(500);
        });

        model.Entity<AccreditationUnit>(e =>
        {
            e.ToTable("accreditation_units");
            e.HasKey(u => u.Code);
            e.Property(u => u.Code).HasColumnName("code").HasMaxLength(40);
            e.Property(u => u.Kind).HasColumnName("kind");
            e.Property(u => u.Name).HasColumnName("name").HasMaxLength(200);
            e.Property(u => u.Level).HasColumnName("level");
            e.Property(u => u.FrameworkLevel).HasColumnName("framework_level");
            e.Property(u => u.Credits).HasColumnName("credits").HasPrecision(9, 2);
            e.Property(u => u.MinCredits).HasColumnName("min_credits").HasPrecision(9, 2);
            e.Property(u => u.MaxCredits).HasColumnName("max_credits").HasPrecision(9, 2);
            e.Property(u => u.Criteria).HasColumnName("criteria").HasMaxLength(1000);
            e.Property(u => u.Version).HasColumnName("version").IsConcurrencyToken();
            e.Property(u => u.ChangedBy).HasColumnName("changed_by").HasMaxLength(120);
            e.Property(u => u.ChangedAt).HasColumnName("changed_at");
        });

        model.Entity<GradingSchemeDefinition>(e =>
        {
            e.ToTable("grading_schemes");
            e.HasKey(g => g.Code);
            e.Ignore(g => g.IsNumeric);
            e.Property(g => g.Code).HasColumnName("code").HasMaxLength(40);
            e.Property(g => g.Name).HasColumnName("name").HasMaxLength(100);
            e.Property(g => g.Kind).HasColumnName("kind").HasMaxLength(20);
            e.Property(g => g.Min).HasColumnName("min").HasPrecision(9, 2);
            e.Property(g => g.Max).HasColumnName("max").HasPrecision(9, 2);
            e.Property(g => g.PassMark).HasColumnName("pass_mark").HasPrecision(9, 2);
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
            e.Property(r => r.Sequence).HasColumnName("sequence").ValueGeneratedOnAdd();
            e.Property(r => r.OutcomeId).HasColumnName("outcome_id");
            e.Property(r => r.WorkstationCode).HasColumnName("workstation_code").HasMaxLength(40);
            e.Property(r => r.QueuedReasonCode).HasColumnName("queued_reason_code").HasMaxLength(64);
            e.Property(r => r.QueuedAt).HasColumnName("queued_at");
            e.Property(r => r.SuggestedUnitCode).HasColumnName("suggested_unit_code").HasMaxLength(40);
            e.Property(r => r.SuggestedCredits).HasColumnName("suggested_credits").HasPrecision(9, 2);
            e.Property(r => r.ClaimedBy).HasColumnName("claimed_by").HasMaxLength(120);
            e.Property(r => r.ClaimedAt).HasColumnName("claimed_at");
            e.Property(r => r.Decision).HasColumnName("decision").HasMaxLength(20);
            e.Property(r => r.DecisionReasonCode).HasColumnName("decision_reason_code").HasMaxLength(64);
            e.Property(r => r.Comment).HasColumnName("comment").HasMaxLength(500);
            e.Property(r => r.DecidedBy).HasColumnName("decided_by").HasMaxLength(120);
            e.Property(r => r.DecidedAt).HasColumnName("decided_at");
            e.HasIndex(r => r.OutcomeId).IsUnique();
            // The queue: a workstation's open tasks in order.
            e.HasIndex(r => new { r.WorkstationCode, r.DecidedAt, r.Sequence });
        });

        model.Entity<Batch>(e =>
        {
            e.ToTable("batches");
            e.HasKey(b => b.Id);
            e.Property(b => b.Id).HasColumnName("id");
            e.Property(b => b.InstitutionCode).HasColumnName("institution_code").HasMaxLength(18);
            e.Property(b => b.RequestId).HasColumnName("request_id").HasMaxLength(100);
            e.Property(b => b.State).HasColumnName("state");
            e.Property(b => b.TotalLines).HasColumnName("total_lines");
            e.Property(b => b.LinesDone).HasColumnName("lines_done");
            e.Property(b => b.LastLine).HasColumnName("last_line");
            e.Property(b => b.Accepted).HasColumnName("accepted");
            e.Property(b => b.Duplicates).HasColumnName("duplicates");
            e.Property(b => b.Invalid).HasColumnName("invalid");
            e.Property(b => b.Recognised).HasColumnName("recognised");
            e.Property(b => b.PendingReview).HasColumnName("pending_review");
            e.Property(b => b.Rejected).HasColumnName("rejected");
            e.Property(b => b.CreatedAt).HasColumnName("created_at");
            e.Property(b => b.CompletedAt).HasColumnName("completed_at");
            // Two streams resuming one batch at once: the second one's chunk loses and is retried by its client.
            e.Property(b => b.LastLine).IsConcurrencyToken();
            e.HasIndex(b => new { b.InstitutionCode, b.RequestId }).IsUnique();
        });

        model.Entity<BatchLineRecord>(e =>
        {
            e.ToTable("batch_lines");
            e.HasKey(l => new { l.BatchId, l.LineNumber });
            e.Property(l => l.BatchId).HasColumnName("batch_id");
            e.Property(l => l.LineNumber).HasColumnName("line_number");
            e.Property(l => l.Result).HasColumnName("result");
            e.Property(l => l.OutcomeId).HasColumnName("outcome_id");
            e.Property(l => l.OutcomeStatus).HasColumnName("outcome_status");
            e.Property(l => l.Credits).HasColumnName("credits").HasPrecision(9, 2);
            e.Property(l => l.Violations).HasColumnName("violations").HasMaxLength(4000);
        });

        model.AddOutboxAndInbox(Database);
    }
}

public sealed class SqliteRecognitionDb(DbContextOptions<SqliteRecognitionDb> options) : RecognitionDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configuration) => configuration.UseSqliteConventions();
}

public sealed class PostgresRecognitionDb(DbContextOptions<PostgresRecognitionDb> options) : RecognitionDb(options);
