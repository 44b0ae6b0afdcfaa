namespace CreditBank.Conversion.Domain;

/// <summary>The problems found on one line of a rule file.</summary>
internal sealed class LineProblems(int line, List<RuleLineProblem> all)
{
    public int Line => line;

    public int Count { get; private set; }

    public void Add(string field, string reason, string description)
    {
        all.Add(new RuleLineProblem(line, field, reason, description));
        Count++;
    }
}

/// <summary>How one format names a rule's fields in its problems: JSON paths or CSV columns.</summary>
internal sealed record RuleFieldNames(
    string RuleId,
    string Version,
    string Programme,
    Func<int, string> Exempt,
    string Credits,
    string MaxCredits,
    string ValidForYears,
    string EffectiveFrom,
    string EffectiveTo);

/// <summary>One line's values as its format parsed them (null when absent or unreadable), before the checks both formats share.</summary>
internal sealed class RuleDraft(LineProblems problems, RuleFieldNames names)
{
    public LineProblems Problems => problems;

    public RuleFieldNames Names => names;

    public string? RuleId { get; set; }

    public int? Version { get; set; }

    public string? Programme { get; set; }

    public Condition? From { get; set; }

    public IReadOnlyList<string>? Exempts { get; set; }

    public decimal? Credits { get; set; }

    public decimal? MaxCredits { get; set; }

    public int? ValidForYears { get; set; }

    public Condition? Unless { get; set; }

    public IReadOnlyList<string> ExcludedInstitutions { get; set; } = [];

    public DateOnly? EffectiveFrom { get; set; }

    public DateOnly? EffectiveTo { get; set; }
}

/// <summary>The checks every line gets whatever its format, and what they need from the whole file (programmes, duplicates).</summary>
internal sealed class RuleFileCheck(Func<string, Programme?> programmes)
{
    private const decimal MaxCreditsPerRule = 30m;
    private readonly Dictionary<string, Programme?> _programmes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string RuleId, int Version), int> _seen = [];

    public List<RuleLineProblem> Problems { get; } = [];

    public LineProblems Line(int line) => new(line, Problems);

    /// <summary>Checks what the format could read, and returns the rule when its line has no problem at all.</summary>
    public ConversionRule? Finish(RuleDraft draft)
    {
        var (problems, names) = (draft.Problems, draft.Names);
        if (draft.Version is <= 0)
        {
            problems.Add(names.Version, "VERSION_NOT_POSITIVE",
                $"version must be a positive whole number (got {draft.Version}); leave it empty to have the store assign the next version");
        }

        var programme = draft.Programme is null ? null : FindProgramme(draft.Programme);
        if (draft.Programme is not null && programme is null)
        {
            problems.Add(names.Programme, "UNKNOWN_PROGRAMME",
                $"programme {draft.Programme} is not known (专业代码); check the code, or create the programme before importing its rules");
        }

        for (var i = 0; programme is not null && draft.Exempts is not null && i < draft.Exempts.Count; i++)
        {
            var code = draft.Exempts[i];
            if (programme.Course(code) is null)
            {
                problems.Add(names.Exempt(i), "COURSE_NOT_IN_PROGRAMME",
                    $"course {code} is not a course of {programme.Name} ({programme.Code}); a rule's exempted courses (免修课程) must be courses of its programme");
            }
            else if (draft.Exempts.Take(i).Contains(code, StringComparer.Ordinal))
            {
                problems.Add(names.Exempt(i), "DUPLICATE_EXEMPTED_COURSE", $"course {code} is listed twice in the exempted courses (免修课程); list it once");
            }
        }

        CheckCredits(draft.Credits, names.Credits, problems);
        CheckCredits(draft.MaxCredits, names.MaxCredits, problems);
        if (draft.ValidForYears is <= 0)
        {
            problems.Add(names.ValidForYears, "VALID_FOR_YEARS_NOT_POSITIVE",
                $"the validity window (有效期) must be at least 1 year (got {draft.ValidForYears}); leave it empty for no window");
        }

        if (draft is { EffectiveFrom: { } from, EffectiveTo: { } to } && to <= from)
        {
            problems.Add(names.EffectiveTo, "EFFECTIVE_TO_NOT_AFTER_FROM",
                $"effective-to {to:yyyy-MM-dd} must be after effective-from {from:yyyy-MM-dd} (it is exclusive: the first day the version no longer applies)");
        }

        if (draft.RuleId is { } ruleId && draft.Version is not <= 0)
        {
            var version = draft.Version ?? 0;
            if (_seen.TryGetValue((ruleId, version), out var earlier))
            {
                problems.Add(names.RuleId, "DUPLICATE_RULE_VERSION", version == 0
                    ? $"rule {ruleId} already appears without a version on line {earlier}; give each version of a rule its own version number"
                    : $"rule {ruleId} version {version} already appears on line {earlier}; each version of a rule appears once in a file");
            }
            else
            {
                _seen[(ruleId, version)] = problems.Line;
            }
        }

        if (problems.Count > 0 || draft is not { RuleId: { } id, Programme: { } programmeCode, From: { } condition, Exempts: { } exempts, EffectiveFrom: { } effectiveFrom })
        {
            return null;
        }

        return new ConversionRule
        {
            RuleId = id,
            Version = draft.Version ?? 0,
            ProgrammeCode = programmeCode,
            From = condition,
            Exempts = exempts,
            Credits = draft.Credits,
            MaxCredits = draft.MaxCredits,
            ValidForYears = draft.ValidForYears,
            Unless = draft.Unless,
            ExcludedInstitutions = draft.ExcludedInstitutions,
            EffectiveFrom = effectiveFrom,
            EffectiveTo = draft.EffectiveTo,
        };
    }

    private static void CheckCredits(decimal? credits, string field, LineProblems problems)
    {
        if (credits is { } value && (value <= 0 || value > MaxCreditsPerRule))
        {
            problems.Add(field, "CREDITS_OUT_OF_RANGE",
                $"{field} must be more than 0 and at most {MaxCreditsPerRule} credits (学分), got {value}; leave it empty to use the exempted courses' credits");
        }
    }

    private Programme? FindProgramme(string code)
    {
        if (!_programmes.TryGetValue(code, out var programme))
        {
            _programmes[code] = programme = programmes(code);
        }

        return programme;
    }
}
