namespace CreditBank.Conversion.Domain;

/// <summary>A learner's outcomes that a rule may still use, indexed by the keys conditions look them up by.</summary>
public sealed class OutcomePool
{
    private readonly Dictionary<string, List<BankedOutcome>> _byKey;
    private readonly HashSet<Guid>? _excluded;

    private OutcomePool(Dictionary<string, List<BankedOutcome>> byKey, HashSet<Guid>? excluded)
    {
        _byKey = byKey;
        _excluded = excluded;
    }

    public static OutcomePool Of(IEnumerable<BankedOutcome> outcomes)
    {
        var byKey = new Dictionary<string, List<BankedOutcome>>(StringComparer.Ordinal);
        foreach (var outcome in outcomes)
        {
            foreach (var key in KeysOf(outcome))
            {
                if (!byKey.TryGetValue(key, out var list))
                {
                    byKey[key] = list = [];
                }

                list.Add(outcome);
            }
        }

        return new OutcomePool(byKey, null);
    }

    /// <summary>The keys an outcome is found under (the same keys rules are indexed by).</summary>
    public static IEnumerable<string> KeysOf(BankedOutcome outcome)
    {
        if (outcome.UnitCode is not null)
        {
            yield return Condition.UnitKey(outcome.UnitCode);
        }

        if (outcome.CourseCode is not null)
        {
            yield return Condition.CourseKey(outcome.InstitutionCode, outcome.CourseCode);
        }

        if (outcome.Hours > 0)
        {
            yield return Condition.HoursKey(outcome.Kind);
        }
    }

    public IEnumerable<BankedOutcome> ByKey(string key) =>
        _byKey.TryGetValue(key, out var list) ? _excluded is null ? list : list.Where(o => !_excluded.Contains(o.OutcomeId)) : [];

    /// <summary>The same pool less <paramref name="used"/> (an all-of uses each outcome for one part only).</summary>
    public OutcomePool Without(IEnumerable<BankedOutcome> used)
    {
        var excluded = _excluded is null ? [] : new HashSet<Guid>(_excluded);
        excluded.UnionWith(used.Select(o => o.OutcomeId));
        return new OutcomePool(_byKey, excluded);
    }
}

/// <summary>Outcomes a rule looked at but could not use, with the reason: the raw material of explanations.</summary>
public sealed class NearMisses
{
    public List<(BankedOutcome Outcome, Refusal Reason, string Detail)> All { get; } = [];

    public void Add(BankedOutcome outcome, Refusal reason, string detail) => All.Add((outcome, reason, detail));
}
