using System.Text.Json.Nodes;
using CreditBank.Contracts.Type.V1;
using CreditBank.Conversion.Domain;
using static CreditBank.Conversion.Tests.Catalogue;

namespace CreditBank.Conversion.Tests;

public sealed class RuleFilesTests
{
    private const string Header = "rule_id,version,programme,from,exempts,credits,max_credits,valid_for_years,unless,excluded_institutions,effective_from,effective_to";
    private const string GoodCsvRow = "R-GOOD,1,CQU-SE-2025,unit:1X-WEB>=2,CORE201,,,,,,2024-01-01,";

    private const string GoodJsonRule = """
        {"ruleId":"R-GOOD","version":1,"programme":"CQU-SE-2025","from":{"unit":"1X-WEB","minLevel":2},"exempts":["CORE201"],"effectiveFrom":"2024-01-01"}
        """;

    private static Programme? Programmes(string code) => code == "CQU-SE-2025" ? SoftwareEngineering() : null;

    private static RuleImport Read(string content, RuleFileFormat format) => RuleFiles.Read(content, format, Programmes);

    /// <summary>One rule per condition shape, with every optional field used somewhere.</summary>
    private static readonly ConversionRule[] EveryShape =
    [
        Rule("R-UNIT", new UnitAtLeast("1X-WEB", 2), "CORE201"),
        Rule("R-COURSE", new CourseWithGrade(College, "CS201", new GradeValue(GradingScheme.Percentage, "80")), "CORE202") with
        {
            Version = 0, Credits = 3.5m, MaxCredits = 3m, ValidForYears = 5, EffectiveTo = new DateOnly(2027, 9, 1),
        },
        Rule("R-FIVE", new CourseWithGrade(College, "NET101", new GradeValue(GradingScheme.FiveLevel, "良")), "CORE203") with
        {
            Version = 3, Unless = new CourseWithGrade(University, "CORE203", new GradeValue(GradingScheme.PassFail, "合格")),
            ExcludedInstitutions = ["92500112MA5YQ8H21C", "91110108MA01R3XK5U"],
        },
        Rule("R-HOURS", new HoursAtLeast(OutcomeKind.TrainingRecord, 64), "ELE401"),
        Rule("R-ALL", new AllOf([new UnitAtLeast("1X-CLOUD", 2), new CourseWithGrade(College, "NET101", new GradeValue(GradingScheme.FiveLevel, "及格"))]), "SPE301"),
        Rule("R-ANY", new AnyOf([new UnitAtLeast("1X-WEB", 2), new AllOf([new UnitAtLeast("1X-UI", 1), new HoursAtLeast(OutcomeKind.CompetitionAward, 32)])]), "CORE201", "FND102"),
    ];

    [Theory]
    [InlineData(RuleFileFormat.Json)]
    [InlineData(RuleFileFormat.Csv)]
    public void Every_condition_shape_survives_a_write_and_a_read(RuleFileFormat format)
    {
        var text = RuleFiles.Write(EveryShape, format);

        var read = Read(text, format);

        Assert.True(read.Valid, string.Join("\n", read.Problems));
        Assert.Equivalent(EveryShape, read.Rules, strict: true);
        Assert.Equal(text, RuleFiles.Write(read.Rules, format));
    }

    [Fact]
    public void The_round_trip_comparison_notices_a_changed_condition()
    {
        var read = Read(RuleFiles.Write(EveryShape, RuleFileFormat.Csv), RuleFileFormat.Csv).Rules.ToArray();
        read[5] = read[5] with { From = new AnyOf([new UnitAtLeast("1X-WEB", 2), new AllOf([new UnitAtLeast("1X-UI", 2), new HoursAtLeast(OutcomeKind.CompetitionAward, 32)])]) };

        Assert.ThrowsAny<Exception>(() => Assert.Equivalent(EveryShape, read, strict: true));
    }

    [Fact]
    public void A_json_file_reads_tagged_conditions_and_a_missing_version_means_assign_one()
    {
        const string json = """
            [
              {
                "ruleId": "R-DS",
                "programme": "CQU-SE-2025",
                "from": { "anyOf": [
                  { "course": { "institution": "4150012608", "code": "CS201" }, "minGrade": { "scheme": "PERCENTAGE", "value": 80 } },
                  { "hours": 64, "kind": "TRAINING_RECORD" } ] },
                "exempts": ["CORE202"],
                "credits": 4,
                "effectiveFrom": "2025-09-01",
                "effectiveTo": null
              }
            ]
            """;

        var rule = Assert.Single(Read(json, RuleFileFormat.Json).Rules);

        Assert.Equal(0, rule.Version);
        var any = Assert.IsType<AnyOf>(rule.From);
        Assert.Equal(new CourseWithGrade(College, "CS201", new GradeValue(GradingScheme.Percentage, "80")), any.Parts[0]);
        Assert.Equal(new HoursAtLeast(OutcomeKind.TrainingRecord, 64), any.Parts[1]);
        Assert.Equal(4m, rule.Credits);
    }

    [Fact]
    public void A_csv_file_reads_with_columns_in_any_order_and_the_compact_condition_form()
    {
        const string csv = """
            effective_from,exempts,from,programme,rule_id
            2025-09-01,CORE201 | FND102,"any(unit:1X-WEB>=2; all(unit:1X-UI>=1; hours:training_record>=32))",CQU-SE-2025,R-WEB
            """;

        var rule = Assert.Single(Read(csv, RuleFileFormat.Csv).Rules);

        Assert.Equal(["CORE201", "FND102"], rule.Exempts);
        var any = Assert.IsType<AnyOf>(rule.From);
        var all = Assert.IsType<AllOf>(any.Parts[1]);
        Assert.Equal(new HoursAtLeast(OutcomeKind.TrainingRecord, 32), all.Parts[1]);
        Assert.Null(rule.Credits);
    }

    [Fact]
    public void Quoted_csv_fields_keep_commas_doubled_quotes_and_line_breaks_and_later_lines_keep_their_numbers()
    {
        var csv = Header + "\r\n"
            + "\"R-\"\"Q\"\",1\",,CQU-SE-2025,\"all(unit:1X-WEB>=2;\nunit:1X-UI>=1)\",CORE201,,,,,\"A,B|C\",2024-01-01,\r\n"
            + "R-BAD,,NOPE,unit:1X-WEB>=2,CORE201,,,,,,2024-01-01,\r\n";

        var read = Read(csv, RuleFileFormat.Csv);

        var rule = Assert.Single(read.Rules);
        Assert.Equal("R-\"Q\",1", rule.RuleId);
        Assert.Equal(["A,B", "C"], rule.ExcludedInstitutions);
        Assert.Equal(2, Assert.IsType<AllOf>(rule.From).Parts.Count);
        var problem = Assert.Single(read.Problems);
        Assert.Equal((4, "programme", "UNKNOWN_PROGRAMME"), (problem.Line, problem.Field, problem.Reason));
    }

    [Fact]
    public void Written_csv_quotes_what_needs_quoting_and_reads_back()
    {
        var odd = Rule("R,\"odd\"", new UnitAtLeast("1X-WEB", 2), "CORE201") with { ExcludedInstitutions = ["A,B"] };

        var text = RuleFiles.Write([odd], RuleFileFormat.Csv);

        Assert.Contains("\"R,\"\"odd\"\"\"", text);
        Assert.Equivalent(new[] { odd }, Read(text, RuleFileFormat.Csv).Rules, strict: true);
    }

    [Theory]
    [InlineData(RuleFileFormat.Json)]
    [InlineData(RuleFileFormat.Csv)]
    public void A_bad_line_in_the_middle_still_returns_the_good_rules_and_names_the_bad_line(RuleFileFormat format)
    {
        var text = format == RuleFileFormat.Json
            ? $"[{GoodJsonRule.Replace("R-GOOD", "R-1")},{GoodJsonRule.Replace("CORE201", "CS999")},{GoodJsonRule.Replace("R-GOOD", "R-3")}]"
            : string.Join("\n", Header, GoodCsvRow.Replace("R-GOOD", "R-1"), GoodCsvRow.Replace("CORE201", "CS999"), GoodCsvRow.Replace("R-GOOD", "R-3"));

        var read = Read(text, format);

        Assert.Equal(["R-1", "R-3"], read.Rules.Select(r => r.RuleId));
        Assert.False(read.Valid);
        var problem = Assert.Single(read.Problems);
        Assert.Equal(format == RuleFileFormat.Json ? (2, "exempts[0]") : (3, "exempts"), (problem.Line, problem.Field));
        Assert.Equal("COURSE_NOT_IN_PROGRAMME", problem.Reason);
        Assert.Contains("CS999", problem.Description);
        Assert.Contains("软件工程（本科）", problem.Description);
    }

    [Theory]
    [InlineData("""{"ruleId":null}""", "ruleId", "REQUIRED_FIELD_MISSING")]
    [InlineData("""{"programme":"  "}""", "programme", "REQUIRED_FIELD_MISSING")]
    [InlineData("""{"from":null}""", "from", "REQUIRED_FIELD_MISSING")]
    [InlineData("""{"exempts":[]}""", "exempts", "REQUIRED_FIELD_MISSING")]
    [InlineData("""{"effectiveFrom":null}""", "effectiveFrom", "REQUIRED_FIELD_MISSING")]
    [InlineData("""{"programme":"PKU-CS-2025"}""", "programme", "UNKNOWN_PROGRAMME")]
    [InlineData("""{"exempts":["CORE201","CS999"]}""", "exempts[1]", "COURSE_NOT_IN_PROGRAMME")]
    [InlineData("""{"exempts":["CORE201","CORE201"]}""", "exempts[1]", "DUPLICATE_EXEMPTED_COURSE")]
    [InlineData("""{"from":{"course":{"institution":"4150012608","code":"CS201"},"minGrade":{"scheme":"GPA","value":"3.5"}}}""", "from.minGrade.scheme", "UNKNOWN_GRADE_SCHEME")]
    [InlineData("""{"from":{"course":{"institution":"4150012608","code":"CS201"},"minGrade":{"scheme":"FIVE_LEVEL","value":"80"}}}""", "from.minGrade.value", "INVALID_GRADE")]
    [InlineData("""{"from":{"course":{"institution":"4150012608","code":"CS201"},"minGrade":{"scheme":"PERCENTAGE","value":"120"}}}""", "from.minGrade.value", "INVALID_GRADE")]
    [InlineData("""{"from":{"course":{"code":"CS201"},"minGrade":{"scheme":"PERCENTAGE","value":"80"}}}""", "from.course.institution", "REQUIRED_FIELD_MISSING")]
    [InlineData("""{"from":{"unit":"1X-WEB","minLevel":11}}""", "from.minLevel", "LEVEL_OUT_OF_RANGE")]
    [InlineData("""{"from":{"unit":"1X-WEB","minLevel":0}}""", "from.minLevel", "LEVEL_OUT_OF_RANGE")]
    [InlineData("""{"from":{"hours":0,"kind":"TRAINING_RECORD"}}""", "from.hours", "HOURS_NOT_POSITIVE")]
    [InlineData("""{"from":{"hours":64,"kind":"TRAINING"}}""", "from.kind", "UNKNOWN_OUTCOME_KIND")]
    [InlineData("""{"from":{"allOf":[]}}""", "from.allOf", "EMPTY_CONDITION_GROUP")]
    [InlineData("""{"unless":{"anyOf":[{"unit":"1X-UI","minLevel":1},{"allOf":[]}]}}""", "unless.anyOf[1].allOf", "EMPTY_CONDITION_GROUP")]
    [InlineData("""{"from":{"unit":"1X-WEB","minLevel":2,"hours":64}}""", "from", "INVALID_CONDITION")]
    [InlineData("""{"from":{"unit":"1X-WEB","minLvl":2,"minLevel":2}}""", "from.minLvl", "UNKNOWN_FIELD")]
    [InlineData("""{"credits":0}""", "credits", "CREDITS_OUT_OF_RANGE")]
    [InlineData("""{"credits":30.5}""", "credits", "CREDITS_OUT_OF_RANGE")]
    [InlineData("""{"maxCredits":-1}""", "maxCredits", "CREDITS_OUT_OF_RANGE")]
    [InlineData("""{"credits":"4"}""", "credits", "INVALID_NUMBER")]
    [InlineData("""{"validForYears":0}""", "validForYears", "VALID_FOR_YEARS_NOT_POSITIVE")]
    [InlineData("""{"version":0}""", "version", "VERSION_NOT_POSITIVE")]
    [InlineData("""{"effectiveTo":"2024-01-01"}""", "effectiveTo", "EFFECTIVE_TO_NOT_AFTER_FROM")]
    [InlineData("""{"effectiveFrom":"2024/01/01"}""", "effectiveFrom", "INVALID_DATE")]
    public void A_json_rule_with_a_problem_is_named_by_its_index_and_field(string changes, string field, string reason)
    {
        var bad = JsonNode.Parse(GoodJsonRule.Replace("R-GOOD", "R-BAD"))!.AsObject();
        foreach (var (name, value) in JsonNode.Parse(changes)!.AsObject())
        {
            bad[name] = value?.DeepClone();
        }

        var read = Read($"[{GoodJsonRule},{bad.ToJsonString()}]", RuleFileFormat.Json);

        Assert.Equal("R-GOOD", Assert.Single(read.Rules).RuleId);
        var problem = Assert.Single(read.Problems);
        Assert.Equal((2, field, reason), (problem.Line, problem.Field, problem.Reason));
        Assert.False(string.IsNullOrWhiteSpace(problem.Description));
    }

    [Theory]
    [InlineData(",1,CQU-SE-2025,unit:1X-WEB>=2,CORE201,,,,,,2024-01-01,", "rule_id", "REQUIRED_FIELD_MISSING")]
    [InlineData("R-BAD,1,CQU-SE-2025,,CORE201,,,,,,2024-01-01,", "from", "REQUIRED_FIELD_MISSING")]
    [InlineData("R-BAD,1,CQU-SE-2025,unit:1X-WEB>=2,,,,,,,2024-01-01,", "exempts", "REQUIRED_FIELD_MISSING")]
    [InlineData("R-BAD,1,CQU-SE-2025,unit:1X-WEB>=2,CORE201,,,,,,,", "effective_from", "REQUIRED_FIELD_MISSING")]
    [InlineData("R-BAD,1,PKU-CS-2025,unit:1X-WEB>=2,CORE201,,,,,,2024-01-01,", "programme", "UNKNOWN_PROGRAMME")]
    [InlineData("R-BAD,1,CQU-SE-2025,unit:1X-WEB>=2,CORE201|CS999,,,,,,2024-01-01,", "exempts", "COURSE_NOT_IN_PROGRAMME")]
    [InlineData("R-BAD,1,CQU-SE-2025,course:4150012608/CS201>=GPA:3.5,CORE201,,,,,,2024-01-01,", "from", "UNKNOWN_GRADE_SCHEME")]
    [InlineData("R-BAD,1,CQU-SE-2025,course:4150012608/CS201>=PASS_FAIL:良,CORE201,,,,,,2024-01-01,", "from", "INVALID_GRADE")]
    [InlineData("R-BAD,1,CQU-SE-2025,unit:1X-WEB>=11,CORE201,,,,,,2024-01-01,", "from", "LEVEL_OUT_OF_RANGE")]
    [InlineData("R-BAD,1,CQU-SE-2025,hours:TRAINING_RECORD>=0,CORE201,,,,,,2024-01-01,", "from", "HOURS_NOT_POSITIVE")]
    [InlineData("R-BAD,1,CQU-SE-2025,hours:TRAINING>=64,CORE201,,,,,,2024-01-01,", "from", "UNKNOWN_OUTCOME_KIND")]
    [InlineData("R-BAD,1,CQU-SE-2025,any(unit:1X-WEB>=2;all( )),CORE201,,,,,,2024-01-01,", "from", "EMPTY_CONDITION_GROUP")]
    [InlineData("R-BAD,1,CQU-SE-2025,any(unit:1X-WEB>=2;unit:1X-UI>=1,CORE201,,,,,,2024-01-01,", "from", "INVALID_CONDITION")]
    [InlineData("R-BAD,1,CQU-SE-2025,unit:1X-WEB>=2,CORE201,,,,level:1X-UI>=1,,2024-01-01,", "unless", "INVALID_CONDITION")]
    [InlineData("R-BAD,1,CQU-SE-2025,unit:1X-WEB>=2,CORE201,45,,,,,2024-01-01,", "credits", "CREDITS_OUT_OF_RANGE")]
    [InlineData("R-BAD,1,CQU-SE-2025,unit:1X-WEB>=2,CORE201,four,,,,,2024-01-01,", "credits", "INVALID_NUMBER")]
    [InlineData("R-BAD,-1,CQU-SE-2025,unit:1X-WEB>=2,CORE201,,,,,,2024-01-01,", "version", "VERSION_NOT_POSITIVE")]
    [InlineData("R-BAD,1,CQU-SE-2025,unit:1X-WEB>=2,CORE201,,,,,,2024-01-01,2023-12-31", "effective_to", "EFFECTIVE_TO_NOT_AFTER_FROM")]
    [InlineData("R-BAD,1,CQU-SE-2025,unit:1X-WEB>=2,CORE201,,,,,,01/01/2024,", "effective_from", "INVALID_DATE")]
    [InlineData("R-B\"AD,1,CQU-SE-2025,unit:1X-WEB>=2,CORE201,,,,,,2024-01-01,", "", "MALFORMED_CSV")]
    [InlineData("\"R-BAD\"x,1,CQU-SE-2025,unit:1X-WEB>=2,CORE201,,,,,,2024-01-01,", "", "MALFORMED_CSV")]
    [InlineData("R-BAD,1,CQU-SE-2025,unit:1X-WEB>=2,CORE201,2024-01-01", "", "MALFORMED_CSV")]
    public void A_csv_row_with_a_problem_is_named_by_its_line_and_column(string row, string column, string reason)
    {
        var read = Read(string.Join("\r\n", Header, GoodCsvRow, row, GoodCsvRow.Replace("R-GOOD", "R-AFTER")), RuleFileFormat.Csv);

        Assert.Equal(["R-GOOD", "R-AFTER"], read.Rules.Select(r => r.RuleId));
        var problem = Assert.Single(read.Problems);
        Assert.Equal((3, column, reason), (problem.Line, problem.Field, problem.Reason));
        Assert.False(string.IsNullOrWhiteSpace(problem.Description));
    }

    [Theory]
    [InlineData(RuleFileFormat.Json)]
    [InlineData(RuleFileFormat.Csv)]
    public void The_same_rule_and_version_twice_in_a_file_is_a_duplicate_on_the_second_line(RuleFileFormat format)
    {
        var text = format == RuleFileFormat.Json ? $"[{GoodJsonRule},{GoodJsonRule}]" : string.Join("\n", Header, GoodCsvRow, GoodCsvRow);

        var read = Read(text, format);

        Assert.Single(read.Rules);
        var problem = Assert.Single(read.Problems);
        Assert.Equal((format == RuleFileFormat.Json ? 2 : 3, "DUPLICATE_RULE_VERSION"), (problem.Line, problem.Reason));
        Assert.Contains($"line {(format == RuleFileFormat.Json ? 1 : 2)}", problem.Description);
    }

    [Fact]
    public void Malformed_json_is_one_problem_at_the_rule_where_it_breaks_and_the_rules_before_it_are_kept()
    {
        var json = $$"""[{{GoodJsonRule}}, {"ruleId": "R-2", "programme": }, {{GoodJsonRule}}]""";

        var read = Read(json, RuleFileFormat.Json);

        Assert.Equal("R-GOOD", Assert.Single(read.Rules).RuleId);
        var problem = Assert.Single(read.Problems);
        Assert.Equal((2, "MALFORMED_JSON"), (problem.Line, problem.Reason));
        Assert.Contains("position", problem.Description);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"ruleId\":\"R-1\"}")]
    public void A_json_file_that_is_not_an_array_is_one_problem_for_the_whole_file(string json)
    {
        var problem = Assert.Single(Read(json, RuleFileFormat.Json).Problems);

        Assert.Equal((0, "MALFORMED_JSON"), (problem.Line, problem.Reason));
    }

    [Fact]
    public void A_csv_header_without_a_required_column_stops_the_file_at_line_one()
    {
        var read = Read("rule_id,programme,from,exempts,effective_from_date\nR-1,CQU-SE-2025,unit:1X-WEB>=2,CORE201,2024-01-01", RuleFileFormat.Csv);

        Assert.Empty(read.Rules);
        Assert.All(read.Problems, p => Assert.Equal(1, p.Line));
        Assert.Equal([("effective_from_date", "UNKNOWN_COLUMN"), ("effective_from", "MISSING_COLUMN")], read.Problems.Select(p => (p.Field, p.Reason)));
    }

    [Fact]
    public void An_empty_csv_file_asks_for_the_header()
    {
        var problem = Assert.Single(Read("", RuleFileFormat.Csv).Problems);

        Assert.Equal((1, "MISSING_HEADER"), (problem.Line, problem.Reason));
    }

    [Fact]
    public void An_unclosed_quote_is_one_problem_on_the_line_where_its_record_starts()
    {
        var read = Read(string.Join("\n", Header, GoodCsvRow, "\"R-OPEN,1,CQU-SE-2025", "R-2,1"), RuleFileFormat.Csv);

        Assert.Single(read.Rules);
        var problem = Assert.Single(read.Problems);
        Assert.Equal((3, "MALFORMED_CSV"), (problem.Line, problem.Reason));
    }
}
