using System.Globalization;

namespace CreditBank.Recognition.Domain;

/// <summary>Grading schemes (评分制).</summary>
public enum GradingScheme
{
    /// <summary>百分制: 0–100, pass mark 60.</summary>
    Percentage = 1,

    /// <summary>五级制: 优 / 良 / 中 / 及格 / 不及格.</summary>
    FiveLevel = 2,

    /// <summary>合格制: 合格 / 不合格.</summary>
    PassFail = 3,
}

/// <summary>A grade as the institution gave it, kept beside its scheme; never converted on the way in.</summary>
/// <param name="Scheme">A built-in scheme, or null when <paramref name="SchemeCode"/> names one registered by data.</param>
/// <param name="SchemeCode">A grading scheme registered by data (<see cref="GradingSchemeDefinition"/>), e.g. <c>GPA_4</c>.</param>
public sealed record Grade(GradingScheme? Scheme, string Value, string? SchemeCode = null)
{
    public const decimal PercentagePassMark = 60m;

    private static readonly Dictionary<string, (string Canonical, bool Pass)> FiveLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["优"] = ("优", true), ["优秀"] = ("优", true), ["EXCELLENT"] = ("优", true), ["A"] = ("优", true),
        ["良"] = ("良", true), ["良好"] = ("良", true), ["GOOD"] = ("良", true), ["B"] = ("良", true),
        ["中"] = ("中", true), ["中等"] = ("中", true), ["FAIR"] = ("中", true), ["C"] = ("中", true),
        ["及格"] = ("及格", true), ["PASS"] = ("及格", true), ["D"] = ("及格", true),
        ["不及格"] = ("不及格", false), ["FAIL"] = ("不及格", false), ["F"] = ("不及格", false),
    };

    private static readonly Dictionary<string, bool> PassFailValues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["合格"] = true, ["通过"] = true, ["PASS"] = true, ["P"] = true,
        ["不合格"] = false, ["未通过"] = false, ["FAIL"] = false, ["F"] = false,
    };

    /// <summary>Whether the grade meets its built-in scheme's pass mark (registered schemes: <see cref="GradingSchemeDefinition.Passes"/>).</summary>
    public bool IsPass => Scheme switch
    {
        GradingScheme.Percentage => decimal.Parse(Value, CultureInfo.InvariantCulture) >= PercentagePassMark,
        GradingScheme.FiveLevel => FiveLevels[Value].Pass,
        _ => PassFailValues[Value],
    };

    /// <summary>Checks that <paramref name="value"/> belongs to <paramref name="scheme"/>; says what would be valid if not.</summary>
    public static bool TryCreate(GradingScheme scheme, string? value, out Grade? grade, out string? problem)
    {
        grade = null;
        var trimmed = value?.Trim() ?? string.Empty;
        problem = scheme switch
        {
            GradingScheme.Percentage => decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var score)
                && score is >= 0 and <= 100 && decimal.Round(score, 2) == score
                    ? null
                    : $"'{trimmed}' is not a 百分制 grade: give a number from 0 to 100 (at most two decimals).",
            GradingScheme.FiveLevel => FiveLevels.ContainsKey(trimmed)
                ? null
                : $"'{trimmed}' is not a 五级制 grade: give one of 优, 良, 中, 及格, 不及格 (or EXCELLENT, GOOD, FAIR, PASS, FAIL).",
            GradingScheme.PassFail => PassFailValues.ContainsKey(trimmed)
                ? null
                : $"'{trimmed}' is not a 合格制 grade: give 合格 or 不合格 (or PASS / FAIL).",
            _ => "The grading scheme (评分制) is required: PERCENTAGE (百分制), FIVE_LEVEL (五级制) or PASS_FAIL (合格制).",
        };
        if (problem is null)
        {
            grade = new Grade(scheme, trimmed);
        }

        return problem is null;
    }

    public override string ToString() => Scheme switch
    {
        GradingScheme.Percentage => $"{Value} (百分制)",
        GradingScheme.FiveLevel => $"{Value} (五级制)",
        GradingScheme.PassFail => $"{Value} (合格制)",
        _ => $"{Value} ({SchemeCode})",
    };
}

/// <summary>A grading scheme (评分制) as registered by data: a numeric range with a pass mark, or ordered values.</summary>
public sealed class GradingSchemeDefinition
{
    /// <summary>e.g. <c>PERCENTAGE</c>, <c>GPA_4</c>.</summary>
    public required string Code { get; init; }

    public required string Name { get; set; }

    /// <summary><c>NUMERIC</c> or <c>ORDERED</c>.</summary>
    public required string Kind { get; set; }

    public decimal Min { get; set; }

    public decimal Max { get; set; }

    public decimal PassMark { get; set; }

    /// <summary>For an ordered scheme: its values, best first, and whether each passes.</summary>
    public List<GradeValue> Values { get; set; } = [];

    public bool IsNumeric => Kind == "NUMERIC";

    /// <summary>Null when <paramref name="value"/> belongs to the scheme; otherwise what would.</summary>
    public string? Problem(string value) => IsNumeric
        ? decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var score) && score >= Min && score <= Max
            ? null
            : $"'{value}' is not a {Name} grade: give a number from {Min} to {Max}."
        : Values.Any(v => string.Equals(v.Value, value, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"'{value}' is not a {Name} grade: give one of {string.Join(", ", Values.Select(v => v.Value))}.";

    public bool Passes(string value) => IsNumeric
        ? decimal.Parse(value, CultureInfo.InvariantCulture) >= PassMark
        : Values.First(v => string.Equals(v.Value, value, StringComparison.OrdinalIgnoreCase)).Passes;
}

public sealed record GradeValue(string Value, bool Passes);
