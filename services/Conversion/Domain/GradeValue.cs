using System.Globalization;

namespace CreditBank.Conversion.Domain;

/// <summary>Grading schemes, as recognition names them.</summary>
public enum GradingScheme
{
    Percentage = 1,
    FiveLevel = 2,
    PassFail = 3,
}

/// <summary>
/// A grade in its scheme, comparable across schemes by the 百分制 score it stands for: 五级制 优 = 90, 良 = 80, 中 = 70,
/// 及格 = 60, 不及格 = 0 (the lower bound of each band, as Chinese transcripts convert them); 合格 = 60, 不合格 = 0.
/// A threshold "≥ 80" is met by 良 and 优, and "≥ 良" by 80 and above.
/// </summary>
public sealed record GradeValue(GradingScheme Scheme, string Value)
{
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
    public decimal? Score => Scheme switch
    {
        GradingScheme.Percentage => decimal.TryParse(Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var s) ? s : null,
        GradingScheme.FiveLevel => FiveLevel.TryGetValue(Value.Trim(), out var f) ? f : null,
        GradingScheme.PassFail => PassFail.TryGetValue(Value.Trim(), out var p) ? p : null,
        _ => null,
    };

    public bool IsValid => Score is not null;

    /// <summary>Whether this grade reaches <paramref name="threshold"/>, whatever the two schemes.</summary>
    public bool Reaches(GradeValue threshold) => Score is { } mine && threshold.Score is { } needed && mine >= needed;

    public override string ToString() => Scheme switch
    {
        GradingScheme.Percentage => $"{Value} (百分制)",
        GradingScheme.FiveLevel => $"{Value} (五级制)",
        _ => $"{Value} (合格制)",
    };
}
