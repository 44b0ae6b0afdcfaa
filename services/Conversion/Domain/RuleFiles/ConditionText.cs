using System.Globalization;
using CreditBank.Contracts.Learning;

namespace CreditBank.Conversion.Domain;

/// <summary>
/// The compact text form of a condition used in CSV files: <c>unit:1X-WEB&gt;=2</c>,
/// <c>course:4150012608/CS201&gt;=PERCENTAGE:80</c>, <c>hours:TRAINING_RECORD&gt;=64</c>, <c>all(…;…)</c>, <c>any(…;…)</c>
/// (see <see cref="RuleFiles"/> for the grammar).
/// </summary>
internal static class ConditionText
{
    private const string Forms = "unit:UNIT>=LEVEL, course:INSTITUTION/CODE>=SCHEME:GRADE, hours:KIND>=HOURS, all(…;…) or any(…;…)";

    public static string Format(Condition condition) => condition switch
    {
        UnitAtLeast unit => $"unit:{unit.UnitCode}>={unit.MinLevel}",
        CourseWithGrade course => $"course:{course.InstitutionCode}/{course.CourseCode}>={UpperSnake.Name(course.MinGrade.Scheme)}:{course.MinGrade.Value}",
        HoursAtLeast hours => $"hours:{OutcomeKinds.Name(hours.Kind)}>={hours.MinHours}",
        AllOf all => $"all({string.Join(";", all.Parts.Select(Format))})",
        AnyOf any => $"any({string.Join(";", any.Parts.Select(Format))})",
        _ => throw new ArgumentOutOfRangeException(nameof(condition), condition, "no text form for this condition"),
    };

    /// <summary>The condition, or null after reporting what is wrong with it to <paramref name="problems"/> under <paramref name="field"/>.</summary>
    public static Condition? Parse(string text, string field, LineProblems problems)
    {
        var before = problems.Count;
        var parser = new Parser(text, field, problems);
        var condition = parser.Condition();
        if (!parser.Broken)
        {
            parser.SkipSpace();
            if (!parser.AtEnd)
            {
                parser.Fail($"unexpected '{text[parser.Position..]}' after the condition");
            }
        }

        return problems.Count == before ? condition : null;
    }

    private sealed class Parser(string text, string field, LineProblems problems)
    {
        public int Position { get; private set; }

        public bool Broken { get; private set; }

        public bool AtEnd => Position >= text.Length;

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[Position]))
            {
                Position++;
            }
        }

        public void Fail(string what)
        {
            problems.Add(field, "INVALID_CONDITION", $"{field} '{text}': {what} at character {Position + 1}; write {Forms}");
            Broken = true;
        }

        /// <summary>Null when wrong (reported); when <see cref="Broken"/> parsing cannot go on.</summary>
        public Condition? Condition()
        {
            SkipSpace();
            if (AtEnd)
            {
                Fail("a condition is missing");
                return null;
            }

            foreach (var (keyword, allOf) in new[] { ("all(", true), ("any(", false) })
            {
                if (string.Compare(text, Position, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    Position += keyword.Length;
                    return Group(allOf);
                }
            }

            var start = Position;
            while (!AtEnd && text[Position] is not (';' or '(' or ')'))
            {
                Position++;
            }

            if (!AtEnd && text[Position] == '(')
            {
                Fail("only all( and any( open a group");
                return null;
            }

            return Leaf(text[start..Position].Trim());
        }

        private Condition? Group(bool allOf)
        {
            var name = allOf ? "all(…)" : "any(…)";
            var parts = new List<Condition?>();
            SkipSpace();
            if (!AtEnd && text[Position] == ')')
            {
                Position++;
                ConditionChecks.EmptyGroup(name, field, problems);
                return null;
            }

            while (true)
            {
                parts.Add(Condition());
                if (Broken)
                {
                    return null;
                }

                SkipSpace();
                if (AtEnd || text[Position] is not (';' or ')'))
                {
                    Fail($"{name} expects ';' between conditions and ')' at its end");
                    return null;
                }

                if (text[Position++] == ')')
                {
                    break;
                }
            }

            if (parts.Contains(null))
            {
                return null;
            }

            var conditions = parts.OfType<Condition>().ToList();
            return allOf ? new AllOf(conditions) : new AnyOf(conditions);
        }

        private Condition? Leaf(string leaf)
        {
            var colon = leaf.IndexOf(':', StringComparison.Ordinal);
            var atLeast = leaf.IndexOf(">=", StringComparison.Ordinal);
            if (colon < 0 || atLeast < colon)
            {
                Fail($"'{leaf}' is not a condition");
                return null;
            }

            var (tag, subject, threshold) = (leaf[..colon].Trim().ToLowerInvariant(), leaf[(colon + 1)..atLeast].Trim(), leaf[(atLeast + 2)..].Trim());
            switch (tag)
            {
                case "unit" when subject.Length > 0 && int.TryParse(threshold, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var level):
                    return ConditionChecks.Level(level, field, problems) is { } minLevel ? new UnitAtLeast(subject, minLevel) : null;

                case "hours" when int.TryParse(threshold, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count):
                    var kind = ConditionChecks.Kind(subject, field, problems);
                    var hours = ConditionChecks.Hours(count, field, problems);
                    return kind is { } k && hours is { } h ? new HoursAtLeast(k, h) : null;

                case "course" when subject.Split('/', 2) is [var institution, var code] && institution.Trim().Length > 0 && code.Trim().Length > 0
                                   && threshold.Split(':', 2) is [var schemeName, var value] && value.Trim().Length > 0:
                    var scheme = ConditionChecks.Scheme(schemeName, field, problems);
                    var grade = scheme is { } s ? ConditionChecks.Grade(s, value.Trim(), field, problems) : null;
                    return grade is null ? null : new CourseWithGrade(institution.Trim(), code.Trim(), grade);

                default:
                    Fail($"'{leaf}' is not a condition");
                    return null;
            }
        }
    }
}
