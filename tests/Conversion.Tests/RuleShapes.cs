using CreditBank.Contracts.Type.V1;
using CreditBank.Conversion.Domain;
using static CreditBank.Conversion.Tests.Catalogue;

namespace CreditBank.Conversion.Tests;

public sealed class RuleShapes
{
    private static readonly ConversionRule WebIntermediateExemptsCore = Rule("R-WEB-CORE", new UnitAtLeast("1X-WEB", 2), "CORE201");
    private static readonly ConversionRule WebElementaryExemptsFoundation = Rule("R-WEB-FND", new UnitAtLeast("1X-WEB", 1), "FND102");

    [Fact]
    public void An_intermediate_certificate_exempts_a_core_course_with_its_credits()
    {
        var certificate = Certificate("1X-WEB", 2);

        var result = Evaluate(SoftwareEngineering(), [WebIntermediateExemptsCore], certificate);

        var exemption = Assert.Single(result.Exemptions);
        Assert.Equal("CORE201", Assert.Single(exemption.Courses).Code);
        Assert.Equal(4, result.TotalCredits);
        var verdict = Assert.Single(result.Verdicts);
        Assert.True(verdict.Used);
        Assert.Equal(("R-WEB-CORE", 1), (verdict.RuleId, verdict.RuleVersion));
    }

    [Fact]
    public void An_elementary_certificate_only_reaches_foundation_courses_and_is_told_its_level_is_too_low_for_core()
    {
        var certificate = Certificate("1X-WEB", 1);

        var result = Evaluate(SoftwareEngineering(), [WebIntermediateExemptsCore, WebElementaryExemptsFoundation], certificate);

        Assert.Equal("FND102", Assert.Single(Assert.Single(result.Exemptions).Courses).Code);
        var onlyCore = Evaluate(SoftwareEngineering(), [WebIntermediateExemptsCore], certificate);
        Assert.Equal(Refusal.LevelTooLow, Assert.Single(onlyCore.Verdicts).Refusal);
        Assert.Contains("below the required 2", onlyCore.Verdicts[0].Explanation);
    }

    [Fact]
    public void An_advanced_certificate_exempts_both_foundation_and_core_under_one_rule()
    {
        var both = Rule("R-WEB-ADV", new UnitAtLeast("1X-WEB", 3), "FND102", "CORE201");

        var result = Evaluate(SoftwareEngineering(), [both], Certificate("1X-WEB", 3));

        Assert.Equal(6, result.TotalCredits);
        Assert.Equal(["FND102", "CORE201"], Assert.Single(result.Exemptions).Courses.Select(c => c.Code));
    }

    [Theory]
    [InlineData(GradingScheme.Percentage, "85", true)]
    [InlineData(GradingScheme.Percentage, "79.5", false)]
    [InlineData(GradingScheme.FiveLevel, "良", true)]
    [InlineData(GradingScheme.FiveLevel, "中", false)]
    [InlineData(GradingScheme.PassFail, "合格", false)]
    public void A_course_at_another_institution_with_a_minimum_grade_counts_in_any_grading_scheme(GradingScheme scheme, string grade, bool converts)
    {
        var equivalent = Rule("R-DS", new CourseWithGrade(College, "CS201", new GradeValue(GradingScheme.Percentage, "80")), "CORE202");

        var result = Evaluate(SoftwareEngineering(), [equivalent], Course(College, "CS201", scheme, grade));

        Assert.Equal(converts, result.Exemptions.Count == 1);
        if (!converts)
        {
            Assert.Equal(Refusal.GradeBelowThreshold, result.Verdicts[0].Refusal);
        }
    }

    [Fact]
    public void Training_hours_add_up_to_an_elective()
    {
        var hours = Rule("R-TRAIN", new HoursAtLeast(OutcomeKind.TrainingRecord, 64), "ELE401");

        var enough = Evaluate(SoftwareEngineering(), [hours], Training(40), Training(24));
        var short_ = Evaluate(SoftwareEngineering(), [hours], Training(40));

        Assert.Equal(4, enough.TotalCredits);
        Assert.All(enough.Verdicts, v => Assert.True(v.Used));
        Assert.Equal(Refusal.NotEnoughHours, Assert.Single(short_.Verdicts).Refusal);
    }

    [Fact]
    public void An_all_of_rule_needs_every_part_and_says_so_when_one_is_missing()
    {
        var set = Rule("R-SET", new AllOf([new UnitAtLeast("1X-CLOUD", 2), new CourseWithGrade(College, "NET101", new GradeValue(GradingScheme.FiveLevel, "及格"))]), "SPE301");
        var cloud = Certificate("1X-CLOUD", 2);

        var complete = Evaluate(SoftwareEngineering(), [set], cloud, Course(College, "NET101", GradingScheme.FiveLevel, "中"));
        var incomplete = Evaluate(SoftwareEngineering(), [set], cloud);

        Assert.Equal(2, Assert.Single(complete.Exemptions).Outcomes.Count);
        Assert.Equal(Refusal.ConditionIncomplete, Assert.Single(incomplete.Verdicts).Refusal);
    }

    [Fact]
    public void An_any_of_rule_is_met_by_either_part()
    {
        var either = Rule("R-ANY", new AnyOf([new UnitAtLeast("1X-WEB", 2), new UnitAtLeast("1X-UI", 2)]), "CORE201");

        var result = Evaluate(SoftwareEngineering(), [either], Certificate("1X-UI", 3));

        Assert.Single(result.Exemptions);
    }

    [Fact]
    public void An_exception_keeps_a_rule_from_applying()
    {
        var unlessTaken = WebIntermediateExemptsCore with { Unless = new CourseWithGrade(University, "CORE201", new GradeValue(GradingScheme.PassFail, "合格")) };

        var result = Evaluate(SoftwareEngineering(), [unlessTaken], Certificate("1X-WEB", 2), Course(University, "CORE201", GradingScheme.PassFail, "合格"));

        Assert.Empty(result.Exemptions);
        Assert.Equal(Refusal.ExceptionApplies, result.Verdicts[0].Refusal);
    }

    [Fact]
    public void An_excluded_issuer_does_not_count()
    {
        var excluding = WebIntermediateExemptsCore with { ExcludedInstitutions = ["92500112MA5YQ8H21C"] };

        var result = Evaluate(SoftwareEngineering(), [excluding], Certificate("1X-WEB", 2, institution: "92500112MA5YQ8H21C"));

        Assert.Equal(Refusal.InstitutionExcluded, Assert.Single(result.Verdicts).Refusal);
    }

    [Fact]
    public void An_old_certificate_is_outside_the_validity_window()
    {
        var threeYears = WebIntermediateExemptsCore with { ValidForYears = 3 };

        var result = Evaluate(SoftwareEngineering(), [threeYears], Certificate("1X-WEB", 2, achieved: new DateOnly(2021, 6, 30)));

        Assert.Equal(Refusal.Expired, Assert.Single(result.Verdicts).Refusal);
        Assert.Contains("2021-06-30", result.Verdicts[0].Explanation);
    }

    [Fact]
    public void A_revoked_outcome_counts_for_nothing()
    {
        var result = Evaluate(SoftwareEngineering(), [WebIntermediateExemptsCore], Certificate("1X-WEB", 2) with { Revoked = true });

        Assert.Equal(Refusal.Revoked, Assert.Single(result.Verdicts).Refusal);
    }

    [Fact]
    public void An_outcome_no_rule_looks_at_is_told_so()
    {
        var result = Evaluate(SoftwareEngineering(), [WebIntermediateExemptsCore], Certificate("1X-ROBOT", 3));

        Assert.Equal(Refusal.NoMatchingRule, Assert.Single(result.Verdicts).Refusal);
    }

    [Fact]
    public void The_version_in_force_on_the_day_is_the_one_used_and_cited()
    {
        var v1 = WebIntermediateExemptsCore with { EffectiveTo = new DateOnly(2026, 9, 1) };
        var v2 = WebIntermediateExemptsCore with { Version = 2, Credits = 3, EffectiveFrom = new DateOnly(2026, 9, 1) };

        var result = Evaluate(SoftwareEngineering(), [v1, v2], Certificate("1X-WEB", 2));
        var before = Evaluator.Evaluate(new EvaluationRequest { Programme = SoftwareEngineering(), Outcomes = [Certificate("1X-WEB", 2)], On = new DateOnly(2026, 3, 1) },
            new RuleBook([v1, v2]));

        Assert.Equal((2, 3m), (result.Verdicts[0].RuleVersion!.Value, result.TotalCredits));
        Assert.Equal((1, 4m), (before.Verdicts[0].RuleVersion!.Value, before.TotalCredits));
    }
}
