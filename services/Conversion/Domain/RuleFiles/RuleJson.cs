using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CreditBank.Contracts.Learning;
using CreditBank.Contracts.Type.V1;

namespace CreditBank.Conversion.Domain;

/// <summary>Conversion rules as a JSON array of camelCase objects; a rule's "line" is its 1-based index in the array.</summary>
internal static class RuleJson
{
    private static readonly string[] RuleFields =
        ["ruleId", "version", "programme", "from", "exempts", "credits", "maxCredits", "validForYears", "unless", "excludedInstitutions", "effectiveFrom", "effectiveTo"];

    private static readonly RuleFieldNames Names = new("ruleId", "version", "programme", i => $"exempts[{i}]", "credits", "maxCredits", "validForYears", "effectiveFrom", "effectiveTo");

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static List<RuleDraft> Read(string content, RuleFileCheck file)
    {
        var drafts = new List<RuleDraft>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(content.TrimStart('\uFEFF')), new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        var inArray = false;
        try
        {
            inArray = reader.Read() && reader.TokenType == JsonTokenType.StartArray;
            if (!inArray)
            {
                file.Line(0).Add("", "MALFORMED_JSON", "a JSON file of 转换规则 is an array of rule objects: [ { \"ruleId\": …, … }, … ]");
                return drafts;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var problems = file.Line(drafts.Count + 1);
                // One element at a time, so a malformed one stops the file at its own index.
                using var rule = JsonDocument.ParseValue(ref reader);
                drafts.Add(Draft(rule.RootElement, problems));
            }

            if (reader.TokenType != JsonTokenType.EndArray)
            {
                file.Line(drafts.Count + 1).Add("", "MALFORMED_JSON", "the file ends before the array is closed; end it with ]");
            }
            else if (reader.Read())
            {
                file.Line(drafts.Count).Add("", "MALFORMED_JSON", "there is more after the array's closing ]; a file holds one array of rules");
            }
        }
        catch (JsonException broken)
        {
            file.Line(inArray ? drafts.Count + 1 : 0).Add("", "MALFORMED_JSON",
                $"the JSON breaks at text line {broken.LineNumber + 1}, position {broken.BytePositionInLine + 1}: {FirstSentence(broken.Message)} (rules before it were read)");
        }

        return drafts;
    }

    public static string Write(IEnumerable<ConversionRule> rules)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, WriterOptions))
        {
            json.WriteStartArray();
            foreach (var rule in rules)
            {
                json.WriteStartObject();
                json.WriteString("ruleId", rule.RuleId);
                if (rule.Version > 0)
                {
                    json.WriteNumber("version", rule.Version);
                }

                json.WriteString("programme", rule.ProgrammeCode);
                json.WritePropertyName("from");
                WriteCondition(json, rule.From);
                WriteStrings(json, "exempts", rule.Exempts);
                WriteNumber(json, "credits", rule.Credits);
                WriteNumber(json, "maxCredits", rule.MaxCredits);
                WriteNumber(json, "validForYears", rule.ValidForYears);
                if (rule.Unless is not null)
                {
                    json.WritePropertyName("unless");
                    WriteCondition(json, rule.Unless);
                }

                if (rule.ExcludedInstitutions.Count > 0)
                {
                    WriteStrings(json, "excludedInstitutions", rule.ExcludedInstitutions);
                }

                json.WriteString("effectiveFrom", rule.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                if (rule.EffectiveTo is { } to)
                {
                    json.WriteString("effectiveTo", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.');

    private static RuleDraft Draft(JsonElement element, LineProblems problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add("", "WRONG_TYPE", $"each 转换规则 is a JSON object {{ \"ruleId\": …, \"programme\": …, … }}, not {element.ValueKind.ToString().ToLowerInvariant()}");
            return new RuleDraft(problems, Names);
        }

        var rule = new JsonFields(element, "", problems);
        rule.RejectUnknown(RuleFields);
        return new RuleDraft(problems, Names)
        {
            RuleId = rule.String("ruleId", "give the rule's stable id, e.g. R-WEB-INT-SE201"),
            Version = rule.Int("version"),
            Programme = rule.String("programme", "give the code of the programme (专业) whose courses the rule exempts"),
            From = rule.Get("from") is { } from
                ? ReadCondition(from, "from", problems)
                : rule.Missing<Condition>("from", $"write what a learner must hold, e.g. {{\"unit\":\"1X-WEB\",\"minLevel\":2}} ({ConditionChecks.ShapesHint})"),
            Exempts = rule.Strings("exempts", "list the programme's courses the rule exempts (免修课程), e.g. [\"CORE201\"]"),
            Credits = rule.Decimal("credits"),
            MaxCredits = rule.Decimal("maxCredits"),
            ValidForYears = rule.Int("validForYears"),
            Unless = rule.Get("unless") is { } unless ? ReadCondition(unless, "unless", problems) : null,
            ExcludedInstitutions = rule.Strings("excludedInstitutions") ?? [],
            EffectiveFrom = rule.Date("effectiveFrom", "give the first day the rule applies, yyyy-MM-dd"),
            EffectiveTo = rule.Date("effectiveTo"),
        };
    }

    private static Condition? ReadCondition(JsonElement element, string path, LineProblems problems)
    {
        string[] tags = ["unit", "course", "hours", "allOf", "anyOf"];
        var present = element.ValueKind == JsonValueKind.Object ? tags.Where(t => element.TryGetProperty(t, out _)).ToList() : [];
        if (present.Count != 1)
        {
            problems.Add(path, "INVALID_CONDITION", (present.Count == 0 ? $"{path} is not a condition" : $"{path} has both {present[0]} and {present[1]}")
                + $": {ConditionChecks.ShapesHint}, written with exactly one of unit, course, hours, allOf, anyOf");
            return null;
        }

        var condition = new JsonFields(element, path, problems);
        switch (present[0])
        {
            case "unit":
            {
                condition.RejectUnknown("unit", "minLevel");
                var unit = condition.String("unit", "give the accreditation unit (认证单元), e.g. 1X-WEB");
                var level = condition.Int("minLevel", "give the minimum level, e.g. 2 (中级)") is { } l ? ConditionChecks.Level(l, condition.Field("minLevel"), problems) : null;
                return unit is not null && level is { } minLevel ? new UnitAtLeast(unit, minLevel) : null;
            }

            case "course":
            {
                condition.RejectUnknown("course", "minGrade");
                var course = condition.Object("course", "give the course as {\"institution\":\"4150012608\",\"code\":\"CS201\"}");
                var institution = course?.String("institution", "give the institution's code");
                var code = course?.String("code", "give the course's code at that institution");
                course?.RejectUnknown("institution", "code");
                var minGrade = condition.Object("minGrade", "give the minimum grade, e.g. {\"scheme\":\"PERCENTAGE\",\"value\":\"80\"}");
                minGrade?.RejectUnknown("scheme", "value");
                var scheme = minGrade?.String("scheme", "give the grading scheme: PERCENTAGE, FIVE_LEVEL or PASS_FAIL") is { } name
                    ? ConditionChecks.Scheme(name, minGrade.Field("scheme"), problems)
                    : null;
                var value = minGrade?.Get("value") is { ValueKind: JsonValueKind.Number } number ? number.GetRawText() : minGrade?.String("value", "give the grade, e.g. \"80\" or \"良\"");
                var grade = scheme is { } s && value is not null ? ConditionChecks.Grade(s, value, minGrade!.Field("value"), problems) : null;
                return institution is not null && code is not null && grade is not null ? new CourseWithGrade(institution, code, grade) : null;
            }

            case "hours":
            {
                condition.RejectUnknown("hours", "kind");
                var hours = condition.Int("hours") is { } h ? ConditionChecks.Hours(h, condition.Field("hours"), problems) : null;
                var kind = condition.String("kind", $"give the kind of outcome whose hours add up: {OutcomeKinds.All}") is { } k
                    ? ConditionChecks.Kind(k, condition.Field("kind"), problems)
                    : null;
                return hours is { } minHours && kind is { } outcomeKind ? new HoursAtLeast(outcomeKind, minHours) : null;
            }

            default:
            {
                var tag = present[0];
                condition.RejectUnknown(tag);
                var list = condition.Get(tag);
                if (list is not { ValueKind: JsonValueKind.Array })
                {
                    problems.Add(condition.Field(tag), "WRONG_TYPE", $"{condition.Field(tag)} must be an array of conditions");
                    return null;
                }

                if (list.Value.GetArrayLength() == 0)
                {
                    ConditionChecks.EmptyGroup(tag, condition.Field(tag), problems);
                    return null;
                }

                var parts = list.Value.EnumerateArray().Select((part, i) => ReadCondition(part, $"{condition.Field(tag)}[{i}]", problems)).ToList();
                if (parts.Contains(null))
                {
                    return null;
                }

                var conditions = parts.OfType<Condition>().ToList();
                return tag == "allOf" ? new AllOf(conditions) : new AnyOf(conditions);
            }
        }
    }

    private static void WriteCondition(Utf8JsonWriter json, Condition condition)
    {
        json.WriteStartObject();
        switch (condition)
        {
            case UnitAtLeast unit:
                json.WriteString("unit", unit.UnitCode);
                json.WriteNumber("minLevel", unit.MinLevel);
                break;
            case CourseWithGrade course:
                json.WriteStartObject("course");
                json.WriteString("institution", course.InstitutionCode);
                json.WriteString("code", course.CourseCode);
                json.WriteEndObject();
                json.WriteStartObject("minGrade");
                json.WriteString("scheme", UpperSnake.Name(course.MinGrade.Scheme));
                json.WriteString("value", course.MinGrade.Value);
                json.WriteEndObject();
                break;
            case HoursAtLeast hours:
                json.WriteNumber("hours", hours.MinHours);
                json.WriteString("kind", OutcomeKinds.Name(hours.Kind));
                break;
            case AllOf or AnyOf:
                json.WriteStartArray(condition is AllOf ? "allOf" : "anyOf");
                foreach (var part in condition is AllOf all ? all.Parts : ((AnyOf)condition).Parts)
                {
                    WriteCondition(json, part);
                }

                json.WriteEndArray();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(condition), condition, "no JSON form for this condition");
        }

        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
    }

    /// <summary>One JSON object's fields, read with the problems reported under their path.</summary>
    private sealed class JsonFields(JsonElement element, string path, LineProblems problems)
    {
        public string Field(string name) => path.Length == 0 ? name : $"{path}.{name}";

        /// <summary>The field's value; absent and <c>null</c> are the same.</summary>
        public JsonElement? Get(string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        public T? Missing<T>(string name, string hint)
            where T : class
        {
            problems.Add(Field(name), "REQUIRED_FIELD_MISSING", $"{Field(name)} is missing; {hint}");
            return null;
        }

        public void RejectUnknown(params string[] known)
        {
            foreach (var property in element.EnumerateObject().Where(p => !known.Contains(p.Name)))
            {
                problems.Add(Field(property.Name), "UNKNOWN_FIELD", $"{Field(property.Name)} is not a field here; the fields are {string.Join(", ", known)} (names are camelCase)");
            }
        }

        public string? String(string name, string? requiredHint = null)
        {
            switch (Get(name))
            {
                case null:
                    return requiredHint is null ? null : Missing<string>(name, requiredHint);
                case { ValueKind: JsonValueKind.String } value when value.GetString()!.Trim() is { Length: > 0 } text:
                    return text;
                case { ValueKind: JsonValueKind.String }:
                    return requiredHint is null ? null : Missing<string>(name, requiredHint);
                default:
                    problems.Add(Field(name), "WRONG_TYPE", $"{Field(name)} must be a string in quotes");
                    return null;
            }
        }

        public int? Int(string name, string? requiredHint = null)
        {
            switch (Get(name))
            {
                case null:
                    if (requiredHint is not null)
                    {
                        Missing<string>(name, requiredHint);
                    }

                    return null;
                case { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var number):
                    return number;
                default:
                    problems.Add(Field(name), "INVALID_NUMBER", $"{Field(name)} must be a whole number, e.g. 3");
                    return null;
            }
        }

        public decimal? Decimal(string name)
        {
            switch (Get(name))
            {
                case null:
                    return null;
                case { ValueKind: JsonValueKind.Number } value when value.TryGetDecimal(out var number):
                    return number;
                default:
                    problems.Add(Field(name), "INVALID_NUMBER", $"{Field(name)} must be a number of credits, e.g. 4 or 2.5");
                    return null;
            }
        }

        public DateOnly? Date(string name, string? requiredHint = null)
        {
            var text = String(name, requiredHint);
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            problems.Add(Field(name), "INVALID_DATE", $"{Field(name)} '{text}' is not a date; write yyyy-MM-dd, e.g. 2026-09-01");
            return null;
        }

        public IReadOnlyList<string>? Strings(string name, string? requiredHint = null)
        {
            var value = Get(name);
            if (value is null || value is { ValueKind: JsonValueKind.Array } && value.Value.GetArrayLength() == 0)
            {
                return requiredHint is null ? null : Missing<string[]>(name, requiredHint);
            }

            if (value.Value.ValueKind != JsonValueKind.Array)
            {
                problems.Add(Field(name), "WRONG_TYPE", $"{Field(name)} must be an array of strings, e.g. [\"CORE201\", \"FND102\"]");
                return null;
            }

            var items = new List<string>();
            var index = 0;
            foreach (var item in value.Value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString()!.Trim() is { Length: > 0 } text)
                {
                    items.Add(text);
                }
                else
                {
                    problems.Add($"{Field(name)}[{index}]", "WRONG_TYPE", $"{Field(name)}[{index}] must be a non-empty string in quotes");
                }

                index++;
            }

            return items.Count == index ? items : null;
        }

        public JsonFields? Object(string name, string requiredHint)
        {
            switch (Get(name))
            {
                case null:
                    return Missing<JsonFields>(name, requiredHint);
                case { ValueKind: JsonValueKind.Object } value:
                    return new JsonFields(value, Field(name), problems);
                default:
                    problems.Add(Field(name), "WRONG_TYPE", $"{Field(name)} must be an object; {requiredHint}");
                    return null;
            }
        }
    }
}
