using CreditBank.Contracts.Type.V1;
using CreditBank.Conversion.Domain;

namespace CreditBank.Conversion.Tests;

/// <summary>A small, believable world to evaluate in: a software programme at a university and a learner's outcomes.</summary>
internal static class Catalogue
{
    public const string College = "4150012608";
    public const string University = "4150010611";
    public static readonly DateOnly Today = new(2026, 11, 24);

    /// <summary>软件工程 at 重庆大学: 160 credits, 40 of them specialised, 30 public.</summary>
    public static Programme SoftwareEngineering(ProgrammeCaps? caps = null) => new()
    {
        Code = "CQU-SE-2025",
        InstitutionCode = University,
        Name = "软件工程（本科）",
        Caps = caps ?? new ProgrammeCaps(),
        Courses =
        [
            new("PUB101", "大学英语", 8, CourseCategory.Public),
            new("PUB102", "思想道德与法治", 22, CourseCategory.Public),
            new("FND101", "程序设计基础", 4, CourseCategory.Foundation),
            new("FND102", "计算机导论", 2, CourseCategory.Foundation),
            new("CORE201", "Web 前端开发", 4, CourseCategory.Core),
            new("CORE202", "数据结构", 4, CourseCategory.Core),
            new("CORE203", "数据库原理", 3, CourseCategory.Core),
            new("SPE301", "云计算运维", 4, CourseCategory.Specialised),
            new("SPE302", "工业机器人", 36, CourseCategory.Specialised),
            new("ELE401", "职业技能实训", 4, CourseCategory.Elective),
            new("REST", "其余课程", 69, CourseCategory.Core),
        ],
    };

    public static ConversionRule Rule(string id, Condition from, params string[] exempts) => new()
    {
        RuleId = id,
        Version = 1,
        ProgrammeCode = "CQU-SE-2025",
        From = from,
        Exempts = exempts,
        EffectiveFrom = new DateOnly(2024, 1, 1),
    };

    public static BankedOutcome Certificate(string unit, int level, DateOnly? achieved = null, string institution = "91110108MA01R3XK5U") => new()
    {
        OutcomeId = Guid.NewGuid(),
        Kind = OutcomeKind.SkillCertificate,
        UnitCode = unit,
        Level = level,
        InstitutionCode = institution,
        Credits = 4,
        AchievedOn = achieved ?? new DateOnly(2025, 6, 30),
        Title = $"{unit} L{level}",
    };

    public static BankedOutcome Course(string institution, string code, GradingScheme scheme, string grade, decimal credits = 4) => new()
    {
        OutcomeId = Guid.NewGuid(),
        Kind = OutcomeKind.Course,
        InstitutionCode = institution,
        CourseCode = code,
        Grade = new GradeValue(scheme, grade),
        Credits = credits,
        AchievedOn = new DateOnly(2026, 1, 20),
        Title = $"{code} at {institution}",
    };

    public static BankedOutcome Training(int hours) => new()
    {
        OutcomeId = Guid.NewGuid(),
        Kind = OutcomeKind.TrainingRecord,
        InstitutionCode = "92500112MA5YQ8H21C",
        Hours = hours,
        Credits = hours / 16m,
        AchievedOn = new DateOnly(2026, 3, 1),
        Title = $"training {hours}h",
    };

    public static Evaluation Evaluate(Programme programme, IEnumerable<ConversionRule> rules, params BankedOutcome[] outcomes) =>
        Evaluator.Evaluate(new EvaluationRequest { Programme = programme, Outcomes = outcomes, On = Today }, new RuleBook(rules));
}
