namespace CreditBank.Conversion.Domain;

/// <summary>
/// Every version of every rule, indexed for evaluation: by programme, then by the keys outcomes are found under
/// (unit, course, hours). Immutable: a change of rules builds a new book, so evaluations never see half a change.
/// </summary>
public sealed class RuleBook
{
    private readonly Dictionary<string, Dictionary<string, ConversionRule[]>> _byProgrammeAndKey;
    private readonly Dictionary<(string RuleId, int Version), ConversionRule> _byVersion;

    public RuleBook(IEnumerable<ConversionRule> rules)
    {
        var all = rules.ToList();
        _byVersion = all.ToDictionary(r => (r.RuleId, r.Version));
        _byProgrammeAndKey = all
            .GroupBy(r => r.ProgrammeCode, StringComparer.Ordinal)
            .ToDictionary(
                p => p.Key,
                p => p.SelectMany(r => r.From.Keys.Distinct().Select(k => (Key: k, Rule: r)))
                    .GroupBy(x => x.Key, StringComparer.Ordinal)
                    .ToDictionary(k => k.Key, k => k.Select(x => x.Rule).ToArray(), StringComparer.Ordinal),
                StringComparer.Ordinal);
        Count = all.Count;
    }

    public static RuleBook Empty { get; } = new([]);

    public int Count { get; }

    public ConversionRule? Find(string ruleId, int version) => _byVersion.GetValueOrDefault((ruleId, version));

    /// <summary>The rules of <paramref name="programmeCode"/> in force on <paramref name="day"/> that look at any of the keys.</summary>
    public IEnumerable<ConversionRule> Candidates(string programmeCode, IEnumerable<string> keys, DateOnly day)
    {
        if (!_byProgrammeAndKey.TryGetValue(programmeCode, out var byKey))
        {
            yield break;
        }

        var seen = new HashSet<(string, int)>();
        foreach (var key in keys)
        {
            if (byKey.TryGetValue(key, out var rules))
            {
                foreach (var rule in rules)
                {
                    if (rule.IsEffectiveOn(day) && seen.Add((rule.RuleId, rule.Version)))
                    {
                        yield return rule;
                    }
                }
            }
        }
    }
}
