using CreditBank.Contracts.Recognition.V1;

namespace CreditBank.TestSupport;

/// <summary>Builders for batch lines; a semester is mostly courses, some certificates, some training.</summary>
public static class BatchLines
{
    public static BatchLine Course(string documentNumber, string title, double credits, string grade = "85", string term = "2025-2026-1") => new()
    {
        Learner = new Learner { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = documentNumber, Name = "学生" },
        Course = new Course
        {
            CourseCode = "C" + Math.Abs(title.GetHashCode() % 10000), Title = title, Credits = credits, Hours = 48, Term = term,
            Grade = new Grade { Scheme = GradingScheme.Percentage, Value = grade },
        },
    };

    /// <summary>Line <paramref name="n"/> of a realistic semester: distinct outcomes for every n.</summary>
    public static BatchLine Semester(int n, string run) => (n % 10) switch
    {
        < 7 => Course(Requests.ResidentId(n % 997), $"课程 {run} {n}", 1 + n % 4),
        < 9 => new BatchLine
        {
            Learner = new Learner { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = Requests.ResidentId(n % 997), Name = "学生" },
            SkillCertificate = new SkillCertificate
            {
                CertificateName = "工业机器人操作与运维职业技能等级证书", Level = (SkillLevel)(1 + n % 3),
                CertificateNumber = $"IR-{run}-{n:D7}", IssueDate = "2025-06-30",
            },
        },
        _ => new BatchLine
        {
            Learner = new Learner { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = Requests.ResidentId(n % 997), Name = "学生" },
            TrainingRecord = new TrainingRecord { Title = $"数控加工培训 {run} {n}", Hours = 32, CompletionDate = "2025-12-20" },
        },
    };
}
