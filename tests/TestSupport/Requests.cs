using CreditBank.Contracts.Recognition.V1;

namespace CreditBank.TestSupport;

/// <summary>Builders for valid submissions; tests change only what they are about.</summary>
public static class Requests
{
    /// <summary>Trusted issuers in the seeded registry (Data/Seed/institutions.json).</summary>
    public const string TrustedCollege = "4150012608";      // 重庆电子工程职业学院
    public const string TrustedAssessor = "91110108MA01R3XK5U"; // 1+X 培训评价组织
    public const string UntrustedTrainer = "92500112MA5YQ8H21C"; // 渝北区启航职业技能培训学校

    /// <summary>A valid 居民身份证 number for learner <paramref name="n"/> (distinct per n, check character computed).</summary>
    public static string ResidentId(int n)
    {
        var first17 = $"500228{2000 + n % 20:D4}0101{n % 1000:D3}";
        return first17 + CreditBank.PersonalData.IdentityDocument.CheckCharacter(first17);
    }

    /// <summary>
    /// A valid 居民身份证 number for learner <paramref name="n"/> of a large cohort (born from 1990 on in 成都市武侯区, a
    /// thousand a day): distinct for every n ≥ 0, and never one that <see cref="ResidentId"/> gives.
    /// </summary>
    public static string CohortResidentId(int n)
    {
        var first17 = $"510107{new DateOnly(1990, 1, 1).AddDays(n / 1000):yyyyMMdd}{n % 1000:D3}";
        return first17 + CreditBank.PersonalData.IdentityDocument.CheckCharacter(first17);
    }

    private static int _serial;

    /// <summary>A number no other request of this test run has: keeps builder-made outcomes from being duplicates of each other.</summary>
    public static int Serial() => Interlocked.Increment(ref _serial);

    /// <param name="title">Defaults to a title no other call uses, so that two calls are two outcomes, not a duplicate.</param>
    public static SubmitOutcomeRequest Course(string? documentNumber = null, string institution = TrustedCollege,
        double credits = 4, GradingScheme scheme = GradingScheme.Percentage, string grade = "87", string courseCode = "CS101",
        string? title = null, string term = "2025-2026-1") => new()
        {
            RequestId = Guid.NewGuid().ToString(),
            InstitutionCode = institution,
            Learner = new Learner { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = documentNumber ?? ResidentId(1), Name = "张三" },
            Course = new Course
            {
                CourseCode = courseCode,
                Title = title ?? $"数据结构 {Serial()}",
                Credits = credits,
                Hours = 64,
                Term = term,
                Grade = new Grade { Scheme = scheme, Value = grade },
            },
        };

    public static SubmitOutcomeRequest Certificate(string? documentNumber = null, string institution = TrustedAssessor,
        SkillLevel level = SkillLevel.Intermediate, string issueDate = "2025-06-30") => new()
        {
            RequestId = Guid.NewGuid().ToString(),
            InstitutionCode = institution,
            Learner = new Learner { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = documentNumber ?? ResidentId(1), Name = "张三" },
            SkillCertificate = new SkillCertificate
            {
                CertificateName = "Web 前端开发职业技能等级证书",
                Level = level,
                CertificateNumber = $"2025-WEB-{Serial():D7}",
                IssueDate = issueDate,
            },
        };
}
