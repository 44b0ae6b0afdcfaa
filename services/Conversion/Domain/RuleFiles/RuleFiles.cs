namespace CreditBank.Conversion.Domain;

/// <summary>The two file formats conversion rules (转换规则) are imported and exported in.</summary>
public enum RuleFileFormat
{
    Json,
    Csv,
}

/// <summary>
/// One problem on one line of a rule file. <see cref="Line"/> is, for JSON, the 1-based index of the rule in the array
/// (0 for the file as a whole, e.g. when it is not an array) and, for CSV, the file's line number (header = 1; a record
/// with a quoted line break counts from the line it starts on). <see cref="Field"/> is the JSON path (0-based indexes,
/// e.g. <c>from.allOf[1].minLevel</c>, <c>exempts[0]</c>) or the CSV column name; <see cref="Reason"/> is UPPER_SNAKE_CASE.
/// </summary>
public sealed record RuleLineProblem(int Line, string Field, string Reason, string Description);

/// <summary>What reading a rule file found: the rules of every good line, and the problems of the others.</summary>
public sealed record RuleImport(IReadOnlyList<ConversionRule> Rules, IReadOnlyList<RuleLineProblem> Problems)
{
    public bool Valid => Problems.Count == 0;
}

/// <summary>
/// Reads and writes conversion rules (转换规则) as JSON or CSV, validating every line. Pure: storing what was read is the
/// caller's decision (a dry run reads and reports without storing).
/// </summary>
/// <remarks>
/// <para><b>JSON</b>: an array of objects with camelCase fields <c>ruleId</c>, <c>version</c> (optional, positive),
/// <c>programme</c>, <c>from</c>, <c>exempts</c> (course codes), <c>credits</c>, <c>maxCredits</c>, <c>validForYears</c>,
/// <c>unless</c>, <c>excludedInstitutions</c>, <c>effectiveFrom</c> and <c>effectiveTo</c> (<c>yyyy-MM-dd</c>). A condition is
/// one of <c>{"unit":"1X-WEB","minLevel":2}</c>,
/// <c>{"course":{"institution":"4150012608","code":"CS201"},"minGrade":{"scheme":"PERCENTAGE","value":"80"}}</c>,
/// <c>{"hours":64,"kind":"TRAINING_RECORD"}</c>, <c>{"allOf":[…]}</c> or <c>{"anyOf":[…]}</c>.</para>
/// <para><b>CSV</b> (RFC 4180, UTF-8): a header row naming the columns in any order — <c>rule_id, version, programme, from,
/// exempts, credits, max_credits, valid_for_years, unless, excluded_institutions, effective_from, effective_to</c>; the
/// optional ones may be left out. <c>exempts</c> and <c>excluded_institutions</c> are <c>|</c>-separated. <c>from</c> and
/// <c>unless</c> use this text form (whitespace between parts is ignored; keywords and names are case-insensitive):</para>
/// <code>
/// unit:UNIT&gt;=LEVEL                          unit:1X-WEB&gt;=2
/// course:INSTITUTION/CODE&gt;=SCHEME:GRADE      course:4150012608/CS201&gt;=PERCENTAGE:80
/// hours:KIND&gt;=HOURS                         hours:TRAINING_RECORD&gt;=64
/// all(CONDITION;CONDITION;…)                all(unit:1X-CLOUD&gt;=2;course:4150012608/NET101&gt;=FIVE_LEVEL:及格)
/// any(CONDITION;CONDITION;…)                any(unit:1X-WEB&gt;=2;all(unit:1X-UI&gt;=1;hours:TRAINING_RECORD&gt;=32))
/// </code>
/// <para>Schemes are PERCENTAGE, FIVE_LEVEL and PASS_FAIL; kinds COURSE, SKILL_CERTIFICATE, VOCATIONAL_QUALIFICATION,
/// SPECIAL_ABILITY, TRAINING_RECORD, COMPETITION_AWARD and INFORMAL_OUTCOME. In the text form codes and grades cannot
/// contain <c>; ( ) &gt;=</c>, and a course's institution code cannot contain <c>/</c>.</para>
/// </remarks>
public static class RuleFiles
{
    /// <summary>
    /// Parses and validates every line; good lines are returned even when others are bad (the caller decides whether
    /// to store: dry run = don't). Never throws for bad content: a file that does not parse is one problem on the line
    /// where it breaks. A rule without a version has <see cref="ConversionRule.Version"/> 0, meaning "assign one".
    /// </summary>
    public static RuleImport Read(string content, RuleFileFormat format, Func<string, Programme?> programmes)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(programmes);
        var file = new RuleFileCheck(programmes);
        var drafts = format switch
        {
            RuleFileFormat.Json => RuleJson.Read(content, file),
            RuleFileFormat.Csv => RuleCsv.Read(content, file),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown rule file format"),
        };

        var rules = drafts.Select(file.Finish).OfType<ConversionRule>().ToList();
        return new RuleImport(rules, file.Problems.OrderBy(p => p.Line).ToList());
    }

    /// <summary>Writes rules so that <see cref="Read"/> gives them back equal; a version of 0 is left out.</summary>
    public static string Write(IEnumerable<ConversionRule> rules, RuleFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return format switch
        {
            RuleFileFormat.Json => RuleJson.Write(rules),
            RuleFileFormat.Csv => RuleCsv.Write(rules),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown rule file format"),
        };
    }
}
