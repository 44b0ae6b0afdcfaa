using System.Globalization;

namespace CreditBank.Conversion.Domain;

/// <summary>The grading schemes built into the bank, as recognition names them; others are registered by data (<see cref="RegisteredGradingScheme"/>).</summary>
public enum GradingScheme
{
    Percentage = 1,
    FiveLevel = 2,
    PassFail = 3,
}

/// <summary>
/// A grade in its scheme, comparable across schemes by the 百分制 score it stands for: 五级制 优 = 90, 良 = 80, 中 = 70,
/// 及格 = 60, 不及格 = 0 (the lower bound of each band, as Chinese transcripts convert them); 合格 = 60, 不合格 = 0.
/// A threshold "≥ 80" is met by 良 and 优, and "≥ 良" by 80 and above. A grade in a scheme registered by data
/// (<see cref="Registered"/>, e.g. <c>LETTER_AF</c>) stands for the score its definition gives it.
/// </summary>
public sealed record GradeValue(GradingScheme Scheme, string Value)
{
    /// <summary>A grade in a scheme registered by data; <see cref="Scheme"/> is then not looked at.</summary>
    public static GradeValue Of(RegisteredGradingScheme scheme, string value) => new(default(GradingScheme), value) { Registered = scheme };

    /// <summary>The registered scheme the grade is in; null for a built-in one. Never part of a rule's definition.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public RegisteredGradingScheme? Registered { get; private init; }

    private static readonly Dictionary<string, decimal> FiveLevel = new(StringComparer.OrdinalIgnoreCase)
    {
        ["优"] = 90, ["优秀"] = 90, ["EXCELLENT"] = 90, ["A"] = 90,
        ["良"] = 80, ["良好"] = 80, ["GOOD"] = 80, ["B"] = 80,
        ["中"] = 70, ["中等"] = 70, ["FAIR"] = 70, ["C"] = 70,
        ["及格"] = 60, ["PASS"] = 60, ["D"] = 60,
        ["不及格"] = 0, ["FAIL"] = 0, ["F"] = 0,
    };

    private static readonly Dictionary<string, decimal> PassFail = new(StringComparer.OrdinalIgnoreCase)
    {
        ["合格"] = 60, ["通过"] = 60, ["PASS"] = 60, ["P"] = 60,
        ["不合格"] = 0, ["未通过"] = 0, ["FAIL"] = 0, ["F"] = 0,
    };

    /// <summary>The 百分制 score this grade stands for; null when the value is not one of its scheme's.</summary>
    public decimal? Score => Registered is { } registered ? registered.Score(Value) : Scheme switch
    {
        GradingScheme.Percentage => decimal.TryParse(Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var s) ? s : null,
        GradingScheme.FiveLevel => FiveLevel.TryGetValue(Value.Trim(), out var f) ? f : null,
        GradingScheme.PassFail => PassFail.TryGetValue(Value.Trim(), out var p) ? p : null,
        _ => null,
    };

    public bool IsValid => Score is not null;

    /// <summary>Whether this grade reaches <paramref name="threshold"/>, whatever the two schemes.</summary>
    public bool Reaches(GradeValue threshold) => Score is { } mine && threshold.Score is { } needed && mine >= needed;

    public override string ToString() => Registered is { } registered ? $"{Value} ({registered.Name})" : Scheme switch
    {
        GradingScheme.Percentage => $"{Value} (百分制)",
        GradingScheme.FiveLevel => $"{Value} (五级制)",
        _ => $"{Value} (合格制)",
    };
}

/// <summary>
/// A grading scheme (评分制) registered by data in recognition's catalogue (<c>GPA_4</c>, <c>LETTER_AF</c>), as conversion
/// learns it from <c>GradingSchemeDefined</c>. Its grades compare with others by the 百分制 score they stand for:
/// numeric — the pass mark is 60 and the maximum 100, linear in between (and from the minimum, 0, to the pass mark), so
/// <c>GPA_4</c> 3.0 is 86.7; ordered — the passing values, best first, spread from 90 down to 60 in equal steps as 五级制's
/// bands are (A 90, B 80, C 70, D 60), a failing value 0.
/// </summary>
public sealed record RegisteredGradingScheme
{
    public required string Code { get; init; }

    public required string Name { get; init; }

    /// <summary>A range with a pass mark; otherwise ordered values.</summary>
    public required bool IsNumeric { get; init; }

    public decimal Min { get; init; }

    public decimal Max { get; init; }

    public decimal PassMark { get; init; }

    /// <summary>An ordered scheme's values, best first, and whether each passes.</summary>
    public IReadOnlyList<RegisteredGradeValue> Values { get; init; } = [];

    /// <summary>The 百分制 score <paramref name="value"/> stands for; null when it is not a grade of this scheme.</summary>
    public decimal? Score(string value)
    {
        if (IsNumeric)
        {
            if (!decimal.TryParse(value.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var grade) || grade < Min || grade > Max)
            {
                return null;
            }

            var score = grade >= PassMark
                ? 60m + (Max > PassMark ? (grade - PassMark) / (Max - PassMark) * 40m : 40m)
                : PassMark > Min ? (grade - Min) / (PassMark - Min) * 60m : 0m;
            return Math.Round(score, 2);
        }

        var passing = Values.Where(v => v.Passes).Select(v => v.Value).ToList();
        var index = passing.FindIndex(v => string.Equals(v, value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            return passing.Count == 1 ? 60m : Math.Round(90m - (30m * index / (passing.Count - 1)), 2);
        }

        return Values.Any(v => !v.Passes && string.Equals(v.Value, value.Trim(), StringComparison.OrdinalIgnoreCase)) ? 0m : null;
    }
}

/// <summary>One value of an ordered registered scheme.</summary>
public sealed record RegisteredGradeValue(string Value, bool Passes);
