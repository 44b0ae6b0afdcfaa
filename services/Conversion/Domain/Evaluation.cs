namespace CreditBank.Conversion.Domain;

/// <summary>What to evaluate: a learner's outcomes against one programme's rules, on a day.</summary>
public sealed record EvaluationRequest
{
    public required Programme Programme { get; init; }

    public required IReadOnlyList<BankedOutcome> Outcomes { get; init; }

    public required DateOnly On { get; init; }

    /// <summary>Outcomes already converted into this programme by accepted conversions: each counts once per programme.</summary>
    public IReadOnlySet<Guid> AlreadyUsed { get; init; } = new HashSet<Guid>();

    /// <summary>Courses already exempted by accepted conversions, and the credits they took (they count toward the caps).</summary>
    public IReadOnlyList<ExemptedCourse> AlreadyExempted { get; init; } = [];
}

/// <summary>A course exempted earlier, with the credits granted for it.</summary>
public sealed record ExemptedCourse(string CourseCode, decimal Credits, Guid? CertificateOutcomeId);

/// <summary>One exemption (免修免考) the evaluation grants: which rule version, which outcomes, which courses, how many credits.</summary>
public sealed record Exemption(ConversionRule Rule, IReadOnlyList<BankedOutcome> Outcomes, IReadOnlyList<ProgrammeCourse> Courses, decimal Credits);

/// <summary>What happened to one outcome, in words: used (by which rule version, for how many credits) or why not.</summary>
public sealed record OutcomeVerdict(Guid OutcomeId, Refusal? Refusal, string Explanation, string? RuleId, int? RuleVersion, decimal Credits)
{
    public bool Used => Refusal is null;
}

/// <summary>The result of a what-if evaluation: the chosen exemptions and a verdict for every outcome.</summary>
public sealed record Evaluation(IReadOnlyList<Exemption> Exemptions, IReadOnlyList<OutcomeVerdict> Verdicts)
{
    public decimal TotalCredits => Exemptions.Sum(e => e.Credits);
}

/// <summary>
/// The conversion engine (转换引擎). Deterministic: the same outcomes, rules and day give the same answer.
/// </summary>
/// <remarks>
/// How it chooses when caps force a choice: it looks for the admissible set of exemptions with the most credits.
/// Candidates are ordered by credits (most first), then rule id, rule version and first outcome id; with up to
/// <see cref="ExactSearchLimit"/> candidates it searches every combination in that order and keeps the first set with
/// the highest total (so ties go to the earlier candidates); with more it admits them greedily in that order.
/// A candidate is admissible when none of its outcomes is used by a chosen exemption, none of its courses is exempted
/// yet, and it keeps within the caps, checked in this order: per certificate, specialised share, public share, total.
/// </remarks>
public static class Evaluator
{
    public const int ExactSearchLimit = 18;

    public static Evaluation Evaluate(EvaluationRequest request, RuleBook rules)
    {
        var programme = request.Programme;
        var verdicts = new Dictionary<Guid, OutcomeVerdict>();
        var usable = new List<BankedOutcome>(request.Outcomes.Count);
        foreach (var outcome in request.Outcomes)
        {
            if (outcome.Revoked)
            {
                verdicts[outcome.OutcomeId] = Refused(outcome, Refusal.Revoked, "the outcome was revoked (已撤销)");
            }
            else if (request.AlreadyUsed.Contains(outcome.OutcomeId))
            {
                verdicts[outcome.OutcomeId] = Refused(outcome, Refusal.AlreadyUsedForProgramme,
                    $"already converted into {programme.Code} by an earlier conversion (已用于本专业)");
            }
            else
            {
                usable.Add(outcome);
            }
        }

        var pool = OutcomePool.Of(usable);
        var near = new NearMisses();
        var candidates = new List<Exemption>();
        var looked = new Dictionary<Guid, ConversionRule>();
        var keys = usable.SelectMany(OutcomePool.KeysOf).Distinct();
        foreach (var rule in rules.Candidates(programme.Code, keys, request.On).OrderBy(r => r.RuleId, StringComparer.Ordinal).ThenBy(r => r.Version))
        {
            var rulePool = PoolFor(rule, usable, pool, request.On, near);
            foreach (var key in rule.From.Keys)
            {
                foreach (var outcome in rulePool.ByKey(key))
                {
                    looked.TryAdd(outcome.OutcomeId, rule);
                }
            }

            if (rule.Unless is not null && rule.Unless.Match(pool, new NearMisses()) is not null)
            {
                foreach (var outcome in rule.From.Keys.SelectMany(rulePool.ByKey))
                {
                    near.Add(outcome, Refusal.ExceptionApplies, $"{rule} does not apply: the learner holds what its exception names");
                }

                continue;
            }

            if (rule.From.Match(rulePool, near) is { } used)
            {
                var courses = rule.Exempts.Select(programme.Course).OfType<ProgrammeCourse>().ToList();
                candidates.Add(new Exemption(rule, used, courses, rule.GrantedCredits(programme)));
            }
        }

        var chosen = Choose(candidates, request);
        foreach (var exemption in chosen)
        {
            var share = exemption.Credits / exemption.Outcomes.Count;
            foreach (var outcome in exemption.Outcomes)
            {
                verdicts[outcome.OutcomeId] = new OutcomeVerdict(outcome.OutcomeId, null,
                    $"{exemption.Rule} exempts {string.Join(", ", exemption.Courses.Select(c => $"{c.Code} {c.Title}"))} (免修免考): {exemption.Credits} credits",
                    exemption.Rule.RuleId, exemption.Rule.Version, decimal.Round(share, 2));
            }
        }

        var state = Caps.After(chosen, request);
        foreach (var candidate in candidates.Except(chosen))
        {
            var (reason, detail) = state.Refuse(candidate);
            foreach (var outcome in candidate.Outcomes.Where(o => !verdicts.ContainsKey(o.OutcomeId)))
            {
                verdicts[outcome.OutcomeId] = new OutcomeVerdict(outcome.OutcomeId, reason ?? Refusal.UsedByAnotherExemption,
                    $"{candidate.Rule} matched, but {detail ?? "a better combination used what it needs"}", candidate.Rule.RuleId, candidate.Rule.Version, 0m);
            }
        }

        foreach (var (outcome, reason, detail) in near.All.OrderBy(n => Priority(n.Reason)))
        {
            if (!verdicts.ContainsKey(outcome.OutcomeId))
            {
                var rule = looked.GetValueOrDefault(outcome.OutcomeId);
                verdicts[outcome.OutcomeId] = new OutcomeVerdict(outcome.OutcomeId, reason,
                    rule is null ? detail : $"{rule}: {detail}", rule?.RuleId, rule?.Version, 0m);
            }
        }

        foreach (var outcome in usable.Where(o => !verdicts.ContainsKey(o.OutcomeId)))
        {
            verdicts[outcome.OutcomeId] = looked.TryGetValue(outcome.OutcomeId, out var rule)
                ? new OutcomeVerdict(outcome.OutcomeId, Refusal.ConditionIncomplete,
                    $"{rule} needs more than this outcome: its condition is not complete", rule.RuleId, rule.Version, 0m)
                : Refused(outcome, Refusal.NoMatchingRule, $"no rule of {programme.Code} converts this outcome");
        }

        return new Evaluation(chosen, request.Outcomes.Select(o => verdicts[o.OutcomeId]).ToList());
    }

    /// <summary>The pool this rule may draw from: without expired outcomes and excluded issuers (reported as near misses).</summary>
    private static OutcomePool PoolFor(ConversionRule rule, List<BankedOutcome> usable, OutcomePool shared, DateOnly on, NearMisses near)
    {
        if (rule.ValidForYears is null && rule.ExcludedInstitutions.Count == 0)
        {
            return shared;
        }

        var keys = rule.From.Keys.ToHashSet(StringComparer.Ordinal);
        var kept = new List<BankedOutcome>(usable.Count);
        foreach (var outcome in usable)
        {
            var relevant = OutcomePool.KeysOf(outcome).Any(keys.Contains);
            if (relevant && rule.ValidForYears is { } years && outcome.AchievedOn.AddYears(years) < on)
            {
                near.Add(outcome, Refusal.Expired, $"achieved {outcome.AchievedOn:yyyy-MM-dd}, more than {years} years ago (已超过有效期)");
            }
            else if (relevant && rule.ExcludedInstitutions.Contains(outcome.InstitutionCode))
            {
                near.Add(outcome, Refusal.InstitutionExcluded, $"outcomes from {outcome.InstitutionCode} are excluded by this rule");
            }
            else
            {
                kept.Add(outcome);
            }
        }

        return OutcomePool.Of(kept);
    }

    private static List<Exemption> Choose(List<Exemption> candidates, EvaluationRequest request)
    {
        var ordered = candidates
            .OrderByDescending(c => c.Credits)
            .ThenBy(c => c.Rule.RuleId, StringComparer.Ordinal)
            .ThenBy(c => c.Rule.Version)
            .ThenBy(c => c.Outcomes[0].OutcomeId)
            .ToList();
        if (ordered.Count > ExactSearchLimit)
        {
            var greedy = Caps.Start(request);
            var chosen = new List<Exemption>();
            foreach (var candidate in ordered)
            {
                if (greedy.Refuse(candidate).Reason is null)
                {
                    greedy = greedy.With(candidate);
                    chosen.Add(candidate);
                }
            }

            return chosen;
        }

        var best = new List<Exemption>();
        var bestCredits = -1m;
        var suffix = new decimal[ordered.Count + 1];
        for (var i = ordered.Count - 1; i >= 0; i--)
        {
            suffix[i] = suffix[i + 1] + ordered[i].Credits;
        }

        var current = new List<Exemption>();
        Search(0, Caps.Start(request), 0m);
        return best;

        void Search(int index, Caps state, decimal credits)
        {
            if (credits > bestCredits)
            {
                bestCredits = credits;
                best = [.. current];
            }

            if (index == ordered.Count || credits + suffix[index] <= bestCredits)
            {
                return;
            }

            var candidate = ordered[index];
            if (state.Refuse(candidate).Reason is null)
            {
                current.Add(candidate);
                Search(index + 1, state.With(candidate), credits + candidate.Credits);
                current.RemoveAt(current.Count - 1);
            }

            Search(index + 1, state, credits);
        }
    }

    private static int Priority(Refusal reason) => reason switch
    {
        Refusal.Expired => 0,
        Refusal.InstitutionExcluded => 1,
        Refusal.ExceptionApplies => 2,
        Refusal.LevelTooLow => 3,
        Refusal.GradeBelowThreshold => 4,
        _ => 5,
    };

    private static OutcomeVerdict Refused(BankedOutcome outcome, Refusal reason, string detail) =>
        new(outcome.OutcomeId, reason, detail, null, null, 0m);
}
