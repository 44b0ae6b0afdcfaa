using System.Text;
using CreditBank.Contracts.Learning;
using CreditBank.Contracts.Type.V1;

namespace CreditBank.Conversion.Domain;

/// <summary>The checks on a condition's parts that JSON and CSV share; each reports to the line and returns null when wrong.</summary>
internal static class ConditionChecks
{
    public const string ShapesHint =
        "a condition is a unit with a minimum level, a course with a minimum grade, hours of one kind, or all-of / any-of a list of conditions";

    public static int? Level(int level, string field, LineProblems problems)
    {
        if (level is >= 1 and <= 10)
        {
            return level;
        }

        problems.Add(field, "LEVEL_OUT_OF_RANGE", $"the minimum level (等级) must be from 1 to 10 (1+X: 1 初级, 2 中级, 3 高级), got {level}");
        return null;
    }

    public static int? Hours(int hours, string field, LineProblems problems)
    {
        if (hours > 0)
        {
            return hours;
        }

        problems.Add(field, "HOURS_NOT_POSITIVE", $"the minimum hours (学时) must be more than 0, got {hours}");
        return null;
    }

    public static GradingScheme? Scheme(string name, string field, LineProblems problems)
    {
        if (UpperSnake.TryParse<GradingScheme>(name, out var scheme))
        {
            return scheme;
        }

        problems.Add(field, "UNKNOWN_GRADE_SCHEME", $"grading scheme {name} is not known; use one of {UpperSnake.All<GradingScheme>()} (百分制, 五级制, 合格制)");
        return null;
    }

    public static GradeValue? Grade(GradingScheme scheme, string value, string field, LineProblems problems)
    {
        var grade = new GradeValue(scheme, value);
        if (grade.IsValid && (scheme != GradingScheme.Percentage || grade.Score <= 100))
        {
            return grade;
        }

        var examples = scheme switch
        {
            GradingScheme.Percentage => "a number from 0 to 100, e.g. 80",
            GradingScheme.FiveLevel => "优, 良, 中, 及格 or 不及格 (or A–F, EXCELLENT, GOOD, FAIR, PASS, FAIL)",
            _ => "合格 or 不合格 (or PASS, FAIL)",
        };
        problems.Add(field, "INVALID_GRADE", $"grade '{value}' is not a grade of {UpperSnake.Name(scheme)}; use {examples}");
        return null;
    }

    public static OutcomeKind? Kind(string name, string field, LineProblems problems)
    {
        if (OutcomeKinds.TryParse(name, out var kind))
        {
            return kind;
        }

        problems.Add(field, "UNKNOWN_OUTCOME_KIND", $"outcome kind {name} is not known; use one of {OutcomeKinds.All}");
        return null;
    }

    public static void EmptyGroup(string group, string field, LineProblems problems) =>
        problems.Add(field, "EMPTY_CONDITION_GROUP", $"{group} has no conditions; list at least one, or remove the group");
}

/// <summary>Enum members as files spell them: <c>TrainingRecord</c> ↔ <c>TRAINING_RECORD</c>.</summary>
internal static class UpperSnake
{
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                text.Append('_');
            }

            text.Append(char.ToUpperInvariant(name[i]));
        }

        return text.ToString();
    }

    public static bool TryParse<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Name(candidate), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static string All<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", Enum.GetValues<TEnum>().Select(Name));
}
