using System.Text.Json;
using System.Text.Json.Serialization;
using CreditBank.Contracts.Learning;
using CreditBank.Contracts.Type.V1;
using CreditBank.Conversion.Domain;

namespace CreditBank.Conversion.Data;

/// <summary>How programmes, rule definitions and application items are stored as JSON.</summary>
internal static class ConversionJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;

    public static ConversionRule Rule(RuleVersionRecord record) => Read<ConversionRule>(record.Definition) with
    {
        RuleId = record.RuleId,
        Version = record.Version,
        ProgrammeCode = record.ProgrammeCode,
        EffectiveFrom = record.EffectiveFrom,
        EffectiveTo = record.EffectiveTo,
    };

    /// <summary>
    /// The outcome as rules see it; a grade in a built-in scheme as that, in one registered by data as
    /// <paramref name="registered"/> defines it, in one conversion has not learnt as no grade at all.
    /// </summary>
    /// <summary>The programme as it stands now (the record keeps its current version's definition).</summary>
    public static Programme Programme(ProgrammeRecord record) => Read<Programme>(record.Definition) with { Version = record.Version };

    public static Programme Programme(ProgrammeVersionRecord record) => Read<Programme>(record.Definition) with { Version = record.Version };

    public static BankedOutcome Outcome(LearnerOutcome o, IReadOnlyDictionary<string, RegisteredGradingScheme>? registered = null) => new()
    {
        OutcomeId = o.OutcomeId,
        Kind = OutcomeKinds.TryParse(o.Kind, out var kind) ? kind : OutcomeKind.InformalOutcome,
        UnitCode = o.StandardCode,
        Level = o.Level,
        InstitutionCode = o.InstitutionCode,
        CourseCode = o.CourseCode,
        Grade = o.GradeScheme is not { } scheme || o.GradeValue is not { } value ? null
            : Enum.TryParse<GradingScheme>(scheme.Replace("_", string.Empty), ignoreCase: true, out var parsed) ? new GradeValue(parsed, value)
            : registered?.GetValueOrDefault(scheme) is { } definition ? GradeValue.Of(definition, value)
            : null,
        Hours = o.Hours,
        Credits = o.Credits,
        AchievedOn = o.AchievedOn,
        Revoked = o.Revoked,
        Title = o.Title,
    };
}
