using System.Collections.Frozen;
using CreditBank.Contracts.Type.V1;

namespace CreditBank.Contracts.Learning;

/// <summary>
/// <see cref="OutcomeKind"/> (declared once, in <c>creditbank/type/v1/outcome_kind.proto</c>) as events and files spell it:
/// <c>COURSE</c>, <c>SKILL_CERTIFICATE</c>, … — the enum value's name without its <c>OUTCOME_KIND_</c> prefix.
/// </summary>
public static class OutcomeKinds
{
    public static string Name(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Course => "COURSE",
        OutcomeKind.SkillCertificate => "SKILL_CERTIFICATE",
        OutcomeKind.VocationalQualification => "VOCATIONAL_QUALIFICATION",
        OutcomeKind.SpecialAbility => "SPECIAL_ABILITY",
        OutcomeKind.TrainingRecord => "TRAINING_RECORD",
        OutcomeKind.CompetitionAward => "COMPETITION_AWARD",
        OutcomeKind.InformalOutcome => "INFORMAL_OUTCOME",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a kind of outcome"),
    };

    /// <summary>The other way round, derived from <see cref="Name"/>: case and surrounding spaces do not matter.</summary>
    private static readonly FrozenDictionary<string, OutcomeKind> ByName = Enum.GetValues<OutcomeKind>()
        .Where(k => k != OutcomeKind.Unspecified).ToFrozenDictionary(Name, StringComparer.OrdinalIgnoreCase);

    public static bool TryParse(string? name, out OutcomeKind kind) => ByName.TryGetValue(name?.Trim() ?? string.Empty, out kind);

    /// <summary>An event's kind; a name this version does not know fails the message (it is parked, not lost).</summary>
    public static OutcomeKind Parse(string name) =>
        TryParse(name, out var kind) ? kind : throw new InvalidOperationException($"Outcome kind {name} is not one this version knows.");

    /// <summary>Every kind, as files list them in their messages.</summary>
    public static string All { get; } = string.Join(", ", Enum.GetValues<OutcomeKind>().Where(k => k != OutcomeKind.Unspecified).Select(Name));

    /// <summary>Certificates (证书): a 1+X skill-level, a vocational qualification or a special ability certificate.</summary>
    public static bool IsCertificate(this OutcomeKind kind) =>
        kind is OutcomeKind.SkillCertificate or OutcomeKind.VocationalQualification or OutcomeKind.SpecialAbility;
}
