using CreditBank.Messaging;
using CreditBank.Persistence;
using CreditBank.Recognition.Domain;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Recognition.Data;

/// <summary>The recognition service's own database: institutions, outcomes, submissions, outbox.</summary>
public abstract class RecognitionDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Institution> Institutions => Set<Institution>();

    public DbSet<Outcome> Outcomes => Set<Outcome>();

    public DbSet<Submission> Submissions => Set<Submission>();

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
            e.Ignore(o => o.Course);
            e.Ignore(o => o.SkillCertificate);
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

        model.AddOutboxAndInbox();
    }
}

public sealed class SqliteRecognitionDb(DbContextOptions<SqliteRecognitionDb> options) : RecognitionDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configuration) => configuration.UseSqliteConventions();
}

public sealed class PostgresRecognitionDb(DbContextOptions<PostgresRecognitionDb> options) : RecognitionDb(options);
