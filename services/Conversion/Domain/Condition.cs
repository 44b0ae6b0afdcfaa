using System.Text.Json.Serialization;
using CreditBank.Contracts.Type.V1;

namespace CreditBank.Conversion.Domain;

/// <summary>What a learner must hold for a conversion rule to apply (the rule's "from").</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "shape")]
[JsonDerivedType(typeof(UnitAtLeast), "unit")]
[JsonDerivedType(typeof(CourseWithGrade), "course")]
[JsonDerivedType(typeof(HoursAtLeast), "hours")]
[JsonDerivedType(typeof(AllOf), "allOf")]
[JsonDerivedType(typeof(AnyOf), "anyOf")]
public abstract record Condition
{
    /// <summary>The index keys under which a rule with this condition is found: one per leaf.</summary>
    [JsonIgnore]
    public abstract IEnumerable<string> Keys { get; }

    /// <summary>
    /// Tries to satisfy the condition from the learner's usable outcomes; on success returns the outcomes it used.
    /// Misses are reported to <paramref name="near"/>: outcomes that matched the leaf but fell short, and why.
    /// </summary>
    public abstract IReadOnlyList<BankedOutcome>? Match(OutcomePool pool, NearMisses near);

    public static string UnitKey(string unitCode) => $"unit:{unitCode}";

    public static string CourseKey(string institutionCode, string courseCode) => $"course:{institutionCode}:{courseCode}";

    public static string HoursKey(OutcomeKind kind) => $"hours:{kind}";
}

/// <summary>A standard (认证单元) at or above a level: "a 1+X Web 前端开发 certificate, 中级 or higher".</summary>
public sealed record UnitAtLeast(string UnitCode, int MinLevel) : Condition
{
    public override IEnumerable<string> Keys => [UnitKey(UnitCode)];

    public override IReadOnlyList<BankedOutcome>? Match(OutcomePool pool, NearMisses near)
    {
        BankedOutcome? best = null;
        foreach (var outcome in pool.ByKey(UnitKey(UnitCode)))
        {
            if (outcome.Level < MinLevel)
            {
                near.Add(outcome, Refusal.LevelTooLow, $"level {outcome.Level} is below the required {MinLevel}");
            }
            else if (best is null || outcome.Level > best.Level || (outcome.Level == best.Level && outcome.OutcomeId.CompareTo(best.OutcomeId) < 0))
            {
                best = outcome;
            }
        }

        return best is null ? null : [best];
    }
}

/// <summary>A course at a named institution with at least a grade, in any scheme: "CS101 at college A with ≥ 80 (or 良)".</summary>
public sealed record CourseWithGrade(string InstitutionCode, string CourseCode, GradeValue MinGrade) : Condition
{
    public override IEnumerable<string> Keys => [CourseKey(InstitutionCode, CourseCode)];

    public override IReadOnlyList<BankedOutcome>? Match(OutcomePool pool, NearMisses near)
    {
        BankedOutcome? best = null;
        foreach (var outcome in pool.ByKey(CourseKey(InstitutionCode, CourseCode)))
        {
            if (outcome.Grade is not { IsValid: true })
            {
                // A scheme the bank has not learnt (yet) cannot be compared: said so, rather than as a low grade.
                near.Add(outcome, Refusal.GradeBelowThreshold, $"its grade is not one the bank can compare with the required {MinGrade}");
            }
            else if (!outcome.Grade.Reaches(MinGrade))
            {
                near.Add(outcome, Refusal.GradeBelowThreshold, $"grade {outcome.Grade} is below the required {MinGrade}");
            }
            else if (best is null || outcome.Grade.Score > best.Grade!.Score)
            {
                best = outcome;
            }
        }

        return best is null ? null : [best];
    }
}

/// <summary>Hours of one kind of outcome added up: "64 training hours".</summary>
public sealed record HoursAtLeast(OutcomeKind Kind, int MinHours) : Condition
{
    public override IEnumerable<string> Keys => [HoursKey(Kind)];

    public override IReadOnlyList<BankedOutcome>? Match(OutcomePool pool, NearMisses near)
    {
        var used = new List<BankedOutcome>();
        var hours = 0;
        foreach (var outcome in pool.ByKey(HoursKey(Kind)).OrderByDescending(o => o.Hours).ThenBy(o => o.OutcomeId))
        {
            used.Add(outcome);
            hours += outcome.Hours;
            if (hours >= MinHours)
            {
                return used;
            }
        }

        foreach (var outcome in used)
        {
            near.Add(outcome, Refusal.NotEnoughHours, $"{hours} hours in all; {MinHours} are required");
        }

        return null;
    }
}

/// <summary>Every one of the parts, each met by different outcomes.</summary>
public sealed record AllOf(IReadOnlyList<Condition> Parts) : Condition
{
    public override IEnumerable<string> Keys => Parts.SelectMany(p => p.Keys);

    public override IReadOnlyList<BankedOutcome>? Match(OutcomePool pool, NearMisses near)
    {
        var used = new List<BankedOutcome>();
        var remaining = pool;
        foreach (var part in Parts)
        {
            var matched = part.Match(remaining, near);
            if (matched is null)
            {
                return null;
            }

            used.AddRange(matched);
            remaining = remaining.Without(matched);
        }

        return used;
    }
}

/// <summary>Any one of the parts; the first that is met, in the order written.</summary>
public sealed record AnyOf(IReadOnlyList<Condition> Parts) : Condition
{
    public override IEnumerable<string> Keys => Parts.SelectMany(p => p.Keys);

    public override IReadOnlyList<BankedOutcome>? Match(OutcomePool pool, NearMisses near)
    {
        foreach (var part in Parts)
        {
            if (part.Match(pool, near) is { } matched)
            {
                return matched;
            }
        }

        return null;
    }
}
