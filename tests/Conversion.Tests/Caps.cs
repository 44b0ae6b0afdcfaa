using CreditBank.Conversion.Domain;
using static CreditBank.Conversion.Tests.Catalogue;

namespace CreditBank.Conversion.Tests;

public sealed class CapsAndChoices
{
    [Fact]
    public void One_certificate_per_course_the_bigger_exemption_wins_and_the_other_is_told_why()
    {
        var small = Rule("R-A", new UnitAtLeast("1X-WEB", 2), "CORE201");
        var big = Rule("R-B", new UnitAtLeast("1X-UI", 2), "CORE201", "FND102");

        var result = Evaluate(SoftwareEngineering(), [small, big], Certificate("1X-WEB", 2), Certificate("1X-UI", 2));

        Assert.Equal("R-B", Assert.Single(result.Exemptions).Rule.RuleId);
        var refused = result.Verdicts.Single(v => !v.Used);
        Assert.Equal(Refusal.CourseAlreadyExempted, refused.Refusal);
    }

    [Fact]
    public void One_certificate_gives_at_most_eight_credits()
    {
        var first = Rule("R-1", new UnitAtLeast("1X-WEB", 2), "CORE201", "FND101");      // 8
        var second = Rule("R-2", new UnitAtLeast("1X-WEB", 2), "FND102");                  // +2 would be 10
        var certificate = Certificate("1X-WEB", 2);

        var result = Evaluate(SoftwareEngineering(), [first, second], certificate);

        Assert.Equal(8, result.TotalCredits);
    }

    [Fact]
    public void A_single_exemption_worth_more_than_eight_credits_from_one_certificate_is_refused_with_the_certificate_cap()
    {
        var generous = Rule("R-BIG", new UnitAtLeast("1X-WEB", 3), "CORE201", "CORE202") with { Credits = 9 };

        var result = Evaluate(SoftwareEngineering(), [generous], Certificate("1X-WEB", 3));

        Assert.Equal(Refusal.CertificateCapReached, Assert.Single(result.Verdicts).Refusal);
        Assert.Contains("at most 8 credits", result.Verdicts[0].Explanation);
    }

    [Fact]
    public void An_outcome_needed_by_a_set_rule_but_used_by_a_better_exemption_is_told_so()
    {
        var certificate = Certificate("1X-WEB", 2);
        var course = Course(College, "NET101", GradingScheme.Percentage, "90");
        var alone = Rule("R-ALONE", new UnitAtLeast("1X-WEB", 2), "CORE201", "FND101");              // 8 credits, the certificate alone
        var set = Rule("R-SET", new AllOf([new UnitAtLeast("1X-WEB", 2), new CourseWithGrade(College, "NET101", new GradeValue(GradingScheme.Percentage, "60"))]), "CORE203"); // 3

        var result = Evaluate(SoftwareEngineering(), [alone, set], certificate, course);

        Assert.Equal("R-ALONE", Assert.Single(result.Exemptions).Rule.RuleId);
        var refused = result.Verdicts.Single(v => v.OutcomeId == course.OutcomeId);
        Assert.Equal(Refusal.UsedByAnotherExemption, refused.Refusal);
        Assert.Contains("R-SET", refused.Explanation);
    }

    [Fact]
    public void Specialised_courses_are_capped_at_ten_percent_of_their_credits()
    {
        // 40 specialised credits → at most 4 by conversion.
        var robot = Rule("R-ROBOT", new UnitAtLeast("1X-ROBOT", 3), "SPE302") with { Credits = 5 };

        var result = Evaluate(SoftwareEngineering(), [robot], Certificate("1X-ROBOT", 3));

        Assert.Empty(result.Exemptions);
        Assert.Equal(Refusal.SpecialisedCapReached, result.Verdicts[0].Refusal);
        Assert.Contains("10%", result.Verdicts[0].Explanation);
    }

    [Fact]
    public void Public_courses_are_capped_at_twenty_percent_of_their_credits()
    {
        // 30 public credits → at most 6.
        var english = Rule("R-EN", new UnitAtLeast("CET", 1), "PUB101");

        var result = Evaluate(SoftwareEngineering(), [english], Certificate("CET", 1));

        Assert.Equal(Refusal.PublicCapReached, Assert.Single(result.Verdicts).Refusal);
    }

    [Fact]
    public void The_total_is_capped_and_the_combination_with_the_most_credits_is_chosen()
    {
        var caps = new ProgrammeCaps { MaxTotalCredits = 8 };
        var rules = new[]
        {
            Rule("R-WEB", new UnitAtLeast("1X-WEB", 2), "CORE201"),   // 4
            Rule("R-DB", new UnitAtLeast("1X-DB", 2), "CORE203"),     // 3
            Rule("R-DS", new UnitAtLeast("1X-DS", 2), "CORE202"),     // 4
        };

        var result = Evaluate(SoftwareEngineering(caps), rules, Certificate("1X-WEB", 2), Certificate("1X-DB", 2), Certificate("1X-DS", 2));

        Assert.Equal(8, result.TotalCredits);
        Assert.Equal(["R-DS", "R-WEB"], result.Exemptions.Select(e => e.Rule.RuleId).Order());
        Assert.Equal(Refusal.TotalCapReached, result.Verdicts.Single(v => !v.Used).Refusal);
    }

    [Fact]
    public void An_outcome_already_converted_into_the_programme_is_not_used_again()
    {
        var certificate = Certificate("1X-WEB", 2);
        var request = new EvaluationRequest
        {
            Programme = SoftwareEngineering(),
            Outcomes = [certificate],
            On = Today,
            AlreadyUsed = new HashSet<Guid> { certificate.OutcomeId },
        };

        var result = Evaluator.Evaluate(request, new RuleBook([Rule("R-WEB", new UnitAtLeast("1X-WEB", 2), "CORE201")]));

        Assert.Equal(Refusal.AlreadyUsedForProgramme, Assert.Single(result.Verdicts).Refusal);
    }

    [Fact]
    public void Each_outcome_is_used_once_even_when_two_rules_want_it()
    {
        var certificate = Certificate("1X-WEB", 2);
        var rules = new[] { Rule("R-1", new UnitAtLeast("1X-WEB", 2), "CORE201"), Rule("R-2", new UnitAtLeast("1X-WEB", 2), "CORE202") };

        var result = Evaluate(SoftwareEngineering(new ProgrammeCaps { MaxCreditsPerCertificate = 100 }), rules, certificate);

        Assert.Single(result.Exemptions);
    }

    [Fact]
    public void The_same_input_always_gives_the_same_answer()
    {
        var outcomes = Enumerable.Range(0, 30).Select(i => Certificate($"U{i % 7}", 1 + i % 3)).ToArray();
        var rules = Enumerable.Range(0, 7).Select(i => Rule($"R-{i}", new UnitAtLeast($"U{i}", 2), i % 2 == 0 ? "CORE201" : "CORE202")).ToArray();

        var first = Evaluate(SoftwareEngineering(), rules, outcomes);
        var second = Evaluate(SoftwareEngineering(), rules, outcomes);

        Assert.Equal(first.Verdicts, second.Verdicts);
    }
}
