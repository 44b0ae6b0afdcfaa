using CreditBank.Contracts.Recognition.V1;

namespace CreditBank.LoadGenerator;

/// <summary>
/// The outcomes the load generator submits: courses a trusted institution reports, so that each is recognised
/// automatically and banked. Course <c>k</c> of learner <c>n</c> is never a duplicate of another (n, k).
/// </summary>
public static class OutcomeLines
{
    public const string Term = "2025-2026-1";

    public static Course Course(long learner, long k) => new()
    {
        CourseCode = $"BENCH{k % 97:D3}",
        Title = $"压测课程 {learner}-{k}",
        Credits = 2 + k % 3,
        Hours = 48,
        Term = Term,
        Grade = new Grade { Scheme = GradingScheme.Percentage, Value = (70 + k % 30).ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    public static Learner Learner(long learner) => new()
    {
        DocumentType = DocumentType.ResidentIdCard,
        DocumentNumber = Learners.DocumentNumber(learner),
        Name = Learners.Name(learner),
    };

    public static BatchLine Line(long lineNumber, long learner, long k) => new() { LineNumber = lineNumber, Learner = Learner(learner), Course = Course(learner, k) };

    public static SubmitOutcomeRequest Submission(string institutionCode, long learner, long k) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        InstitutionCode = institutionCode,
        Learner = Learner(learner),
        Course = Course(learner, k),
    };

    /// <summary>Credits the bank should bank for course <c>k</c> (trusted issuer, passing grade).</summary>
    public static double CreditsOf(long k) => 2 + k % 3;
}
