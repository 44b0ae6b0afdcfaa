using CreditBank.Contracts.Type.V1;
using CreditBank.PersonalData;

namespace CreditBank.Recognition.Domain;

/// <summary>A workstation (工作站) of the credit bank: learners register there and its reviewers decide their outcomes.</summary>
public sealed class Workstation
{
    public required string Code { get; init; }

    public required string Name { get; set; }

    /// <summary>行政区划代码 of the districts it serves, e.g. 500155 (梁平区).</summary>
    public List<string> DistrictCodes { get; set; } = [];

    /// <summary>Serves every learner whom no other workstation serves.</summary>
    public bool IsDefault { get; set; }

    /// <summary>Subjects of the reviewers (审核员) an administrator assigned to it, beside those whose login names it.</summary>
    public List<string> ReviewerSubjects { get; set; } = [];

    /// <summary>The districts of <paramref name="wanted"/> another workstation of <paramref name="all"/> already serves.</summary>
    public IReadOnlyList<string> DistrictsServedElsewhere(IEnumerable<string> wanted, IEnumerable<Workstation> all)
    {
        var elsewhere = all.Where(w => w.Code != Code).SelectMany(w => w.DistrictCodes).ToHashSet(StringComparer.Ordinal);
        return wanted.Where(elsewhere.Contains).ToList();
    }

    /// <summary>Adds the reviewer; false when they were assigned already.</summary>
    public bool Assign(string reviewerSubject)
    {
        if (ReviewerSubjects.Contains(reviewerSubject, StringComparer.Ordinal))
        {
            return false;
        }

        ReviewerSubjects = [.. ReviewerSubjects, reviewerSubject];
        return true;
    }

    /// <summary>Removes the reviewer; false when they were not assigned.</summary>
    public bool Remove(string reviewerSubject)
    {
        if (!ReviewerSubjects.Contains(reviewerSubject, StringComparer.Ordinal))
        {
            return false;
        }

        ReviewerSubjects = ReviewerSubjects.Where(r => r != reviewerSubject).ToList();
        return true;
    }
}

/// <summary>A level of the qualifications framework (资历框架等级) with its descriptor.</summary>
public sealed class FrameworkLevel
{
    public int Level { get; init; }

    public required string Name { get; set; }

    public required string Descriptor { get; set; }
}

/// <summary>An accreditation unit (认证单元): a standard outcome, its criteria, credit value and framework level.</summary>
public sealed class AccreditationUnit
{
    public const string CertificateSuffix = "职业技能等级证书";

    public required string Code { get; init; }

    public required OutcomeKind Kind { get; set; }

    /// <summary>The standard outcome, e.g. "Web 前端开发职业技能等级证书".</summary>
    public required string Name { get; set; }

    /// <summary>1+X: 1–3; 职业资格: 1 (五级) – 5 (一级); 0 when the kind has no levels.</summary>
    public int Level { get; set; }

    public int FrameworkLevel { get; set; }

    /// <summary>Credits on automatic recognition.</summary>
    public decimal Credits { get; set; }

    /// <summary>Bounds within which a reviewer may grant credits.</summary>
    public decimal MinCredits { get; set; }

    public decimal MaxCredits { get; set; }

    public string Criteria { get; set; } = string.Empty;

    /// <summary>1 when seeded; every administrator change adds one.</summary>
    public int Version { get; set; } = 1;

    public string? ChangedBy { get; set; }

    public DateTimeOffset? ChangedAt { get; set; }

    /// <summary>The name compared with submitted names: normalised, without the "职业技能等级证书" / "证书" suffixes.</summary>
    public static string MatchName(string name)
    {
        var normal = TextKey.Normalise(name);
        foreach (var suffix in new[] { TextKey.Normalise(CertificateSuffix), TextKey.Normalise("职业资格证书"), TextKey.Normalise("专项职业能力证书"), "证书" })
        {
            if (normal.EndsWith(suffix, StringComparison.Ordinal) && normal.Length > suffix.Length)
            {
                return normal[..^suffix.Length];
            }
        }

        return normal;
    }
}

/// <summary>The catalogue as the bank decides with it: an immutable snapshot, replaced whole when an administrator changes it.</summary>
public sealed class CatalogueSnapshot
{
    private readonly Dictionary<string, Institution> _institutions;
    private readonly Dictionary<string, Workstation> _byDistrict;
    private readonly Dictionary<(OutcomeKind, string, int), AccreditationUnit> _byName;
    private readonly Dictionary<string, AccreditationUnit> _units;
    private readonly Dictionary<string, GradingSchemeDefinition> _schemes;

    public CatalogueSnapshot(IEnumerable<Institution> institutions, IEnumerable<Workstation> workstations, IEnumerable<FrameworkLevel> levels,
        IEnumerable<AccreditationUnit> units, IEnumerable<GradingSchemeDefinition> schemes)
    {
        _institutions = institutions.ToDictionary(i => i.Code);
        Workstations = workstations.OrderBy(w => w.Code).ToList();
        DefaultWorkstation = Workstations.FirstOrDefault(w => w.IsDefault) ?? Workstations.FirstOrDefault()
            ?? new Workstation { Code = "WS-DEFAULT", Name = "学分银行", IsDefault = true };
        // Administration keeps a district to one workstation; were two to claim one (a race of two changes), the first
        // listed serves it rather than the catalogue failing to load.
        _byDistrict = Workstations.SelectMany(w => w.DistrictCodes.Select(d => (d, w))).GroupBy(p => p.d).ToDictionary(g => g.Key, g => g.First().w);
        Levels = levels.OrderBy(l => l.Level).ToList();
        Units = units.OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
        _units = Units.ToDictionary(u => u.Code);
        _byName = Units.Where(u => !u.Code.StartsWith("GEN-", StringComparison.Ordinal))
            .GroupBy(u => (u.Kind, AccreditationUnit.MatchName(u.Name), u.Level)).ToDictionary(g => g.Key, g => g.First());
        _schemes = schemes.ToDictionary(s => s.Code, StringComparer.OrdinalIgnoreCase);
    }

    public static CatalogueSnapshot Empty { get; } = new([], [], [], [], []);

    public IReadOnlyList<Workstation> Workstations { get; }

    public Workstation DefaultWorkstation { get; }

    public IReadOnlyList<FrameworkLevel> Levels { get; }

    public IReadOnlyList<AccreditationUnit> Units { get; }

    public IReadOnlyCollection<Institution> Institutions => _institutions.Values;

    public IReadOnlyCollection<GradingSchemeDefinition> GradingSchemes => _schemes.Values;

    public Institution? Institution(string code) => _institutions.GetValueOrDefault(code);

    public AccreditationUnit? Unit(string code) => _units.GetValueOrDefault(code);

    public GradingSchemeDefinition? GradingScheme(string code) => _schemes.GetValueOrDefault(code);

    /// <summary>
    /// A learner belongs to the workstation serving the district in the first six digits of their 居民身份证
    /// (行政区划代码); anyone else (passports, 港澳台 permits, unlisted districts) to the default workstation.
    /// </summary>
    public Workstation WorkstationFor(IdentityDocument document) =>
        document.Type == DocumentType.ResidentIdCard && _byDistrict.TryGetValue(document.Number[..6], out var workstation)
            ? workstation
            : DefaultWorkstation;

    /// <summary>The unit for a named certificate at a level, compared after normalising the name.</summary>
    public AccreditationUnit? Match(OutcomeKind kind, string name, int level) =>
        _byName.GetValueOrDefault((kind, AccreditationUnit.MatchName(name), level));

    /// <summary>Whether a grade passes, whether its scheme is built in or registered by data.</summary>
    public bool Passes(Grade grade) => grade.Scheme is not null
        ? grade.IsPass
        : _schemes.TryGetValue(grade.SchemeCode!, out var scheme) && scheme.Passes(grade.Value);
}
