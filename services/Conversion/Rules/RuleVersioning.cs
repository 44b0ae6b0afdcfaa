using CreditBank.Contracts.Learning;
using CreditBank.Conversion.Data;
using CreditBank.Conversion.Domain;
using CreditBank.Grpc;
using CreditBank.Persistence.Audit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Conversion.Rules;

/// <summary>What an import did to one rule: its version now, and whether this import made that version.</summary>
internal sealed record ImportedRule(string RuleId, int Version, bool Changed);

/// <summary>
/// Rule files imported into a programme (转换规则): a rule whose definition changed gets a new version that takes over
/// from today at the earliest and closes the one before it; an unchanged rule keeps its version. Decisions keep citing
/// the version they used, so the past stays as it was decided.
/// </summary>
internal sealed partial class RuleVersioning(ConversionDb db, RuleBookCache rules, TimeProvider time, ILogger<RuleVersioning> logger)
{
    public async Task<IReadOnlyList<ImportedRule>> ImportAsync(Programme programme, IEnumerable<ConversionRule> imported, bool dryRun, string actor,
        CancellationToken ct)
    {
        var ids = imported.Where(r => r.ProgrammeCode == programme.Code).Select(r => r.RuleId).Distinct().ToList();
        var elsewhere = await db.RuleVersions.Where(r => ids.Contains(r.RuleId) && r.ProgrammeCode != programme.Code)
            .Select(r => new { r.RuleId, r.ProgrammeCode }).Distinct().ToListAsync(ct);
        if (elsewhere.Count > 0)
        {
            // A rule id names one rule of one programme (its versions are keyed by it): another programme's is refused, not overwritten.
            var violations = new FieldViolations();
            foreach (var taken in elsewhere)
            {
                violations.Add("content", $"Rule id {taken.RuleId} belongs to programme {taken.ProgrammeCode}; give this programme's rule another id.", "RULE_ID_TAKEN");
            }

            violations.ThrowIfAny("The rules were not imported");
        }

        var existing = await db.RuleVersions.Where(r => r.ProgrammeCode == programme.Code).ToListAsync(ct);
        var now = time.GetUtcNow();
        var today = BeijingTime.Today(now);
        var result = new List<ImportedRule>();
        foreach (var rule in imported.Where(r => r.ProgrammeCode == programme.Code))
        {
            var current = existing.Where(r => r.RuleId == rule.RuleId).MaxBy(r => r.Version);
            var definition = ConversionJson.Write(rule with { Version = 0 });
            if (current is not null && ConversionJson.Write(ConversionJson.Rule(current) with { Version = 0 }) == definition)
            {
                result.Add(new ImportedRule(rule.RuleId, current.Version, Changed: false));
                continue;
            }

            var version = (current?.Version ?? 0) + 1;
            result.Add(new ImportedRule(rule.RuleId, version, Changed: true));
            if (dryRun)
            {
                continue;
            }

            var from = current is not null && rule.EffectiveFrom < today ? today : rule.EffectiveFrom;
            if (current is not null && (current.EffectiveTo is null || current.EffectiveTo > from))
            {
                current.EffectiveTo = from;
            }

            var record = new RuleVersionRecord
            {
                RuleId = rule.RuleId,
                Version = version,
                ProgrammeCode = programme.Code,
                Definition = ConversionJson.Write(rule with { Version = version, EffectiveFrom = from }),
                EffectiveFrom = from,
                EffectiveTo = rule.EffectiveTo,
                CreatedBy = actor,
                CreatedAt = now,
            };
            db.RuleVersions.Add(record);
            existing.Add(record);
        }

        if (!dryRun)
        {
            var changed = result.Where(r => r.Changed).Select(r => new { r.RuleId, r.Version }).ToList();
            if (changed.Count > 0)
            {
                db.Audit(now, actor, "ImportRules", "programme:" + programme.Code, null, new { rules = changed });
            }

            await db.SaveChangesAsync(ct);
            rules.Invalidate();
            LogImported(programme.Code, result.Count(r => r.Changed), actor);
        }

        return result;
    }

    /// <summary>The programme's rules in force today, in rule id order.</summary>
    public async Task<IReadOnlyList<ConversionRule>> InForceAsync(Programme programme, CancellationToken ct)
    {
        var today = BeijingTime.Today(time.GetUtcNow());
        var records = await db.RuleVersions.AsNoTracking().Where(r => r.ProgrammeCode == programme.Code).ToListAsync(ct);
        return records.Select(ConversionJson.Rule).Where(r => r.IsEffectiveOn(today)).OrderBy(r => r.RuleId, StringComparer.Ordinal).ToList();
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Rules imported into {Programme}: {Changed} new versions, by {Actor}")]
    private partial void LogImported(string programme, int changed, string actor);
}
