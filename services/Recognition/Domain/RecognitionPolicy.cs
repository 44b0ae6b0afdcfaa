using CreditBank.Contracts.Type.V1;

namespace CreditBank.Recognition.Domain;

/// <summary>What the bank decided about an outcome and why; <paramref name="Unit"/> is the accreditation unit credited, if any.</summary>
public sealed record RecognitionDecision(OutcomeStatus Status, string ReasonCode, string Reason, decimal Credits, AccreditationUnit? Unit = null)
{
    /// <summary>For a pending outcome: the unit and credits the rules would give, as a hint to the reviewer.</summary>
    public AccreditationUnit? SuggestedUnit { get; init; }

    public decimal SuggestedCredits { get; init; }
}

/// <summary>Credit rules (学分规则), one per kind of outcome.</summary>
public sealed record CreditRules
{
    /// <summary>Training records and MOOCs: contact hours per credit (16–18 in Chinese practice).</summary>
    public int HoursPerCredit { get; init; } = 16;

    /// <summary>The national cap on credits for one certificate or award.</summary>
    public const decimal MaxCreditsPerOutcome = 8m;

    /// <summary>Hours → credits, rounded down to half credits, capped at <see cref="MaxCreditsPerOutcome"/>.</summary>
    public decimal ForHours(int hours) =>
        Math.Min(MaxCreditsPerOutcome, Math.Floor(hours * 2m / HoursPerCredit) / 2m);

    /// <summary>Competition awards: by level and rank (国家级一等奖 6 … 校级三等奖 0.5).</summary>
    public static decimal ForAward(AwardLevel level, AwardRank rank) => (level, rank) switch
    {
        (AwardLevel.National, AwardRank.First) => 6m,
        (AwardLevel.National, AwardRank.Second) => 5m,
        (AwardLevel.National, _) => 4m,
        (AwardLevel.Provincial, AwardRank.First) => 4m,
        (AwardLevel.Provincial, AwardRank.Second) => 3m,
        (AwardLevel.Provincial, _) => 2m,
        (AwardLevel.Municipal, AwardRank.First) => 2m,
        (AwardLevel.Municipal, AwardRank.Second) => 1.5m,
        (AwardLevel.Municipal, _) => 1m,
        (_, AwardRank.First) => 1m,
        _ => 0.5m,
    };
}

/// <summary>Automatic recognition (自动认定): the rules that let the bank decide without a reviewer.</summary>
public static class RecognitionPolicy
{
    public static RecognitionDecision Decide(Outcome outcome, Institution issuer, CatalogueSnapshot catalogue, CreditRules rules)
    {
        var detail = outcome.Detail;
        if (detail is CourseDetail course && !catalogue.Passes(course.Grade))
        {
            return new(OutcomeStatus.Rejected, "GRADE_BELOW_PASS_MARK",
                $"Grade {course.Grade} is below the pass mark (未达及格线); a failed course earns no credits.", 0m);
        }

        if (detail is TrainingDetail training && rules.ForHours(training.Hours) == 0)
        {
            return new(OutcomeStatus.Rejected, "TOO_FEW_HOURS",
                $"{training.Hours} 学时 is less than half a credit ({rules.HoursPerCredit} 学时 = 1 学分); a training record earns no credits below that.", 0m);
        }

        var (unit, credits) = Credit(detail, catalogue, rules);
        if (detail is InformalDetail)
        {
            return new(OutcomeStatus.PendingReview, "INFORMAL_OUTCOME",
                "An informal outcome (非正式学习成果) is always decided by a reviewer at the learner's workstation.", 0m)
            { SuggestedUnit = unit, SuggestedCredits = credits };
        }

        if (!issuer.IsTrustedIssuer)
        {
            return new(OutcomeStatus.PendingReview, "ISSUER_NOT_TRUSTED",
                $"{issuer.Name} is not a trusted issuer (非可信发证机构): a reviewer at the learner's workstation will decide.", 0m)
            { SuggestedUnit = unit, SuggestedCredits = credits };
        }

        if (unit is null && detail is not CourseDetail)
        {
            return new(OutcomeStatus.PendingReview, "NO_MATCHING_UNIT",
                $"No accreditation unit (认证单元) in the catalogue matches \"{detail.Title}\": a reviewer will choose one.", 0m);
        }

        return new(OutcomeStatus.Recognised, "TRUSTED_ISSUER",
            $"Recognised automatically (自动认定): {issuer.Name} is a trusted issuer.", credits, unit);
    }

    /// <summary>The unit and credits each kind's rule gives (before any review).</summary>
    public static (AccreditationUnit? Unit, decimal Credits) Credit(OutcomeDetail detail, CatalogueSnapshot catalogue, CreditRules rules)
    {
        switch (detail)
        {
            case CourseDetail c:
                // The institution awards a course's credits; the bank keeps them as given.
                return (null, c.Credits);
            case SkillCertificateDetail s:
                var x = catalogue.Match(OutcomeKind.SkillCertificate, s.CertificateName, (int)s.Level);
                return (x, x?.Credits ?? 0m);
            case QualificationDetail q:
                var v = catalogue.Match(OutcomeKind.VocationalQualification, q.QualificationName, q.Level);
                return (v, v?.Credits ?? 0m);
            case SpecialAbilityDetail a:
                var sa = catalogue.Match(OutcomeKind.SpecialAbility, a.AbilityName, 0);
                return (sa, sa?.Credits ?? 0m);
            case TrainingDetail t:
                return (catalogue.Unit("GEN-TRAINING"), rules.ForHours(t.Hours));
            case AwardDetail w:
                return (catalogue.Unit("GEN-AWARD"), CreditRules.ForAward(w.Level, w.Rank));
            case InformalDetail i:
                var unit = catalogue.Unit(i.Type switch { InformalType.Mooc => "GEN-MOOC", InformalType.WorkExperience => "GEN-WORK", _ => "GEN-OTHER" });
                var hinted = rules.ForHours(i.Hours);
                return (unit, unit is null ? hinted : Math.Clamp(hinted, unit.MinCredits, unit.MaxCredits));
            default:
                return (null, 0m);
        }
    }
}
