using CreditBank.Contracts.Learning;
using CreditBank.Contracts.Type.V1;
using CreditBank.Grpc;
using CreditBank.Recognition.Domain;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Validation;

/// <summary>The rules of the catalogue changes administrators make: institutions and accreditation units.</summary>
internal static class CatalogueValidation
{
    public const int CriteriaLength = 2000;

    public sealed record InstitutionChange(string Code, string Name, string Kind, string Region, bool Trusted);

    public sealed record UnitChange(string Code, OutcomeKind Kind, string Name, int Level, int FrameworkLevel, decimal Credits,
        decimal MinCredits, decimal MaxCredits, string Criteria);

    public static InstitutionChange? Institution(V1.Institution? given, FieldViolations violations)
    {
        if (given is null)
        {
            violations.Add("institution", "The institution (机构) is required.", "REQUIRED_FIELD");
            return null;
        }

        var code = violations.Text("institution.code", given.Code, SubmitOutcomeValidation.CodeLength, "The institution code (机构代码)");
        if (code.Length > 0 && InstitutionCode.Problem(code) is { } problem)
        {
            violations.Add("institution.code", problem, "INVALID_INSTITUTION_CODE");
        }

        var name = violations.Text("institution.name", given.Name, SubmitOutcomeValidation.TitleLength, "The institution's name (机构名称)");
        var kind = violations.Text("institution.kind", given.Kind, 20, "The kind (机构类型)", required: false);
        if (!Domain.Institution.Kinds.Contains(kind))
        {
            violations.Add("institution.kind", $"The kind (机构类型) must be one of {string.Join(", ", Domain.Institution.Kinds)}.", "INVALID_KIND");
        }

        var region = violations.Text("institution.region", given.Region, 20, "The region", required: false);
        if (!Domain.Institution.Regions.Contains(region))
        {
            violations.Add("institution.region", $"The region must be one of {string.Join(", ", Domain.Institution.Regions)}.", "INVALID_REGION");
        }

        var trust = violations.Enum("institution.trust_level", given.TrustLevel, "Whether it is a trusted issuer (可信发证机构)");
        return new InstitutionChange(code, name, kind, region, trust == V1.TrustLevel.Trusted);
    }

    public static UnitChange? Unit(V1.AccreditationUnit? unit, IReadOnlyList<FrameworkLevel> levels, FieldViolations violations)
    {
        if (unit is null)
        {
            violations.Add("unit", "The accreditation unit is required.", "REQUIRED_FIELD");
            return null;
        }

        var code = violations.Text("unit.code", unit.Code, SubmitOutcomeValidation.CodeLength, "The unit code");
        var name = violations.Text("unit.name", unit.Name, SubmitOutcomeValidation.TitleLength, "The standard outcome (标准成果)");
        var kind = violations.Enum("unit.kind", unit.Kind, "The kind of outcome the unit is for");
        // 1+X levels 1–3, 职业资格 1 (五级) – 5 (一级); every other kind has none.
        var maxLevel = kind switch
        {
            OutcomeKind.SkillCertificate => 3,
            OutcomeKind.VocationalQualification => 5,
            _ => 0,
        };
        if (unit.Level < 0 || unit.Level > maxLevel)
        {
            violations.Add("unit.level", maxLevel == 0
                ? $"A unit of this kind has no level: send 0; got {unit.Level}."
                : $"The level must be 0 to {maxLevel} for this kind; got {unit.Level}.", "INVALID_LEVEL");
        }

        if (levels.Count > 0 && levels.All(l => l.Level != unit.FrameworkLevel))
        {
            violations.Add("unit.framework_level", $"The framework level must be one of {levels[0].Level}–{levels[^1].Level}.", "INVALID_LEVEL");
        }

        var cap = kind == OutcomeKind.Course ? SubmitOutcomeValidation.MaxCourseCredits : CreditRules.MaxCreditsPerOutcome;
        var credits = SubmitOutcomeValidation.CheckCredits(unit.Credits, cap, "unit.credits", violations);
        var min = violations.Amount("unit.min_credits", unit.MinCredits, 0m, cap, 2, "min_credits", "INVALID_CREDITS", minExclusive: true);
        var max = violations.Amount("unit.max_credits", unit.MaxCredits, 0m, cap, 2, "max_credits", "INVALID_CREDITS", minExclusive: true);
        if (credits > 0 && min is { } low && max is { } high && (low > credits || high < credits))
        {
            violations.Add("unit.min_credits", $"Need 0 < min_credits ≤ credits ≤ max_credits ≤ {cap}.", "INVALID_CREDITS");
        }

        var criteria = violations.Text("unit.criteria", unit.Criteria, CriteriaLength, "The criteria (认定标准)", required: false, multiline: true);
        return new UnitChange(code, kind, name, unit.Level, unit.FrameworkLevel, credits, min ?? 0, max ?? 0, criteria);
    }
}
