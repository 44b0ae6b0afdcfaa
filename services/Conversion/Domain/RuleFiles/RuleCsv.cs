using System.Globalization;
using System.Text;

namespace CreditBank.Conversion.Domain;

/// <summary>Conversion rules as CSV (RFC 4180): a header row, then one rule per record.</summary>
internal static class RuleCsv
{
    private static readonly string[] Columns =
        ["rule_id", "version", "programme", "from", "exempts", "credits", "max_credits", "valid_for_years", "unless", "excluded_institutions", "effective_from", "effective_to"];

    private static readonly string[] RequiredColumns = ["rule_id", "programme", "from", "exempts", "effective_from"];

    private static readonly RuleFieldNames Names = new("rule_id", "version", "programme", _ => "exempts", "credits", "max_credits", "valid_for_years", "effective_from", "effective_to");

    public static List<RuleDraft> Read(string content, RuleFileCheck file)
    {
        var records = Records(content.TrimStart('\uFEFF')).GetEnumerator();
        if (!records.MoveNext())
        {
            file.Line(1).Add("", "MISSING_HEADER", $"the file is empty; a CSV of 转换规则 starts with a header row: {string.Join(",", Columns)}");
            return [];
        }

        var columns = Header(records.Current, file.Line(records.Current.Line));
        if (columns is null)
        {
            return [];
        }

        var drafts = new List<RuleDraft>();
        while (records.MoveNext())
        {
            var record = records.Current;
            var problems = file.Line(record.Line);
            if (record.Error is not null)
            {
                problems.Add("", "MALFORMED_CSV", record.Error);
            }
            else if (record.Fields.Count != columns.Count)
            {
                problems.Add("", "MALFORMED_CSV",
                    $"this line has {record.Fields.Count} fields but the header has {columns.Count}; quote a field that contains a comma (\"a,b\")");
            }
            else
            {
                drafts.Add(Draft(columns.Zip(record.Fields).ToDictionary(c => c.First, c => c.Second.Trim()), problems));
            }
        }

        return drafts;
    }

    public static string Write(IEnumerable<ConversionRule> rules)
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(",", Columns)).Append("\r\n");
        foreach (var rule in rules)
        {
            string[] fields =
            [
                rule.RuleId,
                rule.Version > 0 ? rule.Version.ToString(CultureInfo.InvariantCulture) : "",
                rule.ProgrammeCode,
                ConditionText.Format(rule.From),
                string.Join("|", rule.Exempts),
                rule.Credits?.ToString(CultureInfo.InvariantCulture) ?? "",
                rule.MaxCredits?.ToString(CultureInfo.InvariantCulture) ?? "",
                rule.ValidForYears?.ToString(CultureInfo.InvariantCulture) ?? "",
                rule.Unless is null ? "" : ConditionText.Format(rule.Unless),
                string.Join("|", rule.ExcludedInstitutions),
                rule.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                rule.EffectiveTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            ];
            csv.Append(string.Join(",", fields.Select(Quoted))).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Quoted(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || field != field.Trim() ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;

    /// <summary>The header's column names in order, or null (after reporting) when the rows cannot be read by it.</summary>
    private static List<string>? Header(CsvRecord header, LineProblems problems)
    {
        if (header.Error is not null)
        {
            problems.Add("", "MALFORMED_CSV", header.Error);
            return null;
        }

        var columns = header.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        foreach (var column in columns.Where(c => !Columns.Contains(c)).Distinct())
        {
            problems.Add(column, "UNKNOWN_COLUMN", $"column '{column}' is not a rule column; the columns are {string.Join(", ", Columns)}");
        }

        foreach (var column in columns.Where(Columns.Contains).GroupBy(c => c).Where(g => g.Count() > 1))
        {
            problems.Add(column.Key, "DUPLICATE_COLUMN", $"column {column.Key} appears {column.Count()} times in the header; keep one");
        }

        var missing = RequiredColumns.Where(c => !columns.Contains(c)).ToList();
        foreach (var column in missing)
        {
            problems.Add(column, "MISSING_COLUMN", $"the header has no {column} column, which every 转换规则 needs; the header row must name the columns (first line)");
        }

        return missing.Count > 0 || columns.Distinct().Count() != columns.Count ? null : columns;
    }

    private static RuleDraft Draft(Dictionary<string, string> row, LineProblems problems)
    {
        string? Text(string column, string? requiredHint = null)
        {
            var value = row.GetValueOrDefault(column, "");
            if (value.Length == 0 && requiredHint is not null)
            {
                problems.Add(column, "REQUIRED_FIELD_MISSING", $"{column} is empty; {requiredHint}");
            }

            return value.Length == 0 ? null : value;
        }

        int? Whole(string column) => Number<int>(column, Text(column), text => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null, "a whole number, e.g. 3");

        decimal? Credits(string column) =>
            Number<decimal>(column, Text(column), text => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : null, "a number of credits, e.g. 4 or 2.5");

        T? Number<T>(string column, string? text, Func<string, T?> parse, string expected)
            where T : struct
        {
            if (text is null)
            {
                return null;
            }

            var value = parse(text);
            if (value is null)
            {
                problems.Add(column, "INVALID_NUMBER", $"{column} '{text}' is not {expected}");
            }

            return value;
        }

        DateOnly? Date(string column, string? requiredHint = null)
        {
            var text = Text(column, requiredHint);
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            problems.Add(column, "INVALID_DATE", $"{column} '{text}' is not a date; write yyyy-MM-dd, e.g. 2026-09-01");
            return null;
        }

        static IReadOnlyList<string> List(string? text) =>
            text is null ? [] : text.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        var from = Text("from", $"write what a learner must hold, e.g. unit:1X-WEB>=2 ({ConditionChecks.ShapesHint})");
        var unless = Text("unless");
        var exempts = List(Text("exempts", "list the programme's courses the rule exempts (免修课程), separated by |, e.g. CORE201|FND102"));
        return new RuleDraft(problems, Names)
        {
            RuleId = Text("rule_id", "give the rule's stable id, e.g. R-WEB-INT-SE201"),
            Version = Whole("version"),
            Programme = Text("programme", "give the code of the programme (专业) whose courses the rule exempts"),
            From = from is null ? null : ConditionText.Parse(from, "from", problems),
            Exempts = exempts.Count == 0 ? null : exempts,
            Credits = Credits("credits"),
            MaxCredits = Credits("max_credits"),
            ValidForYears = Whole("valid_for_years"),
            Unless = unless is null ? null : ConditionText.Parse(unless, "unless", problems),
            ExcludedInstitutions = List(Text("excluded_institutions")),
            EffectiveFrom = Date("effective_from", "give the first day the rule applies, yyyy-MM-dd"),
            EffectiveTo = Date("effective_to"),
        };
    }

    /// <summary>One CSV record and the line it starts on; <see cref="Error"/> says why it could not be read.</summary>
    private sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, string? Error);

    /// <summary>RFC 4180 records; a malformed one is reported and reading resumes on the next line. Blank lines are skipped.</summary>
    private static IEnumerable<CsvRecord> Records(string content)
    {
        var (at, line) = (0, 1);
        var field = new StringBuilder();
        while (at < content.Length)
        {
            var (start, fields, error, quotedAny) = (line, new List<string>(), (string?)null, false);
            while (error is null)
            {
                if (at < content.Length && content[at] == '"')
                {
                    quotedAny = true;
                    at++;
                    while (error is null)
                    {
                        if (at >= content.Length)
                        {
                            error = $"field {fields.Count + 1} opens a quote that is never closed; close it with \" (a quote inside a quoted field is doubled: \"\")";
                        }
                        else if (content[at] == '"' && at + 1 < content.Length && content[at + 1] == '"')
                        {
                            field.Append('"');
                            at += 2;
                        }
                        else if (content[at] == '"')
                        {
                            at++;
                            break;
                        }
                        else
                        {
                            line += content[at] == '\n' ? 1 : 0;
                            field.Append(content[at++]);
                        }
                    }

                    if (error is null && at < content.Length && content[at] is not (',' or '\r' or '\n'))
                    {
                        error = $"field {fields.Count + 1} has text after its closing quote; put the whole field inside the quotes, doubling any quote in it (\"\")";
                    }
                }
                else
                {
                    while (at < content.Length && content[at] is not (',' or '\r' or '\n'))
                    {
                        if (content[at] == '"')
                        {
                            error = $"field {fields.Count + 1} has a quote but does not start with one; enclose the field in quotes and double the quote inside (\"\")";
                            break;
                        }

                        field.Append(content[at++]);
                    }
                }

                if (error is not null)
                {
                    break;
                }

                fields.Add(field.ToString());
                field.Clear();
                if (at < content.Length && content[at] == ',')
                {
                    at++;
                    continue;
                }

                at += at < content.Length && content[at] == '\r' ? 1 : 0;
                if (at < content.Length && content[at] == '\n')
                {
                    (at, line) = (at + 1, line + 1);
                }

                break;
            }

            if (error is not null)
            {
                field.Clear();
                while (at < content.Length && content[at] != '\n')
                {
                    at++;
                }

                (at, line) = (at + 1, line + 1);
                yield return new CsvRecord(start, [], error);
            }
            else if (quotedAny || fields is not [""])
            {
                yield return new CsvRecord(start, fields, null);
            }
        }
    }
}
