using CreditBank.Conversion.Domain;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Conversion.Data;

/// <summary>
/// Loads the demo programmes (<c>Data/Seed/programmes.json</c>) and their rules (<c>Data/Seed/rules.json</c>, in the
/// import format) at start-up: programmes by code; rules only into a programme that has none yet, so imported versions
/// are never overwritten.
/// </summary>
internal sealed partial class ProgrammeSeed(IServiceScopeFactory scopes, TimeProvider time, ILogger<ProgrammeSeed> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Data", "Seed");
        var programmes = ConversionJson.Read<List<Programme>>(await File.ReadAllTextAsync(Path.Combine(folder, "programmes.json"), cancellationToken));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConversionDb>();
        var existing = await db.Programmes.ToDictionaryAsync(p => p.Code, cancellationToken);
        foreach (var programme in programmes)
        {
            if (existing.TryGetValue(programme.Code, out var record))
            {
                (record.InstitutionCode, record.Definition) = (programme.InstitutionCode, ConversionJson.Write(programme));
            }
            else
            {
                db.Programmes.Add(new ProgrammeRecord { Code = programme.Code, InstitutionCode = programme.InstitutionCode, Definition = ConversionJson.Write(programme) });
            }
        }

        var import = RuleFiles.Read(await File.ReadAllTextAsync(Path.Combine(folder, "rules.json"), cancellationToken), RuleFileFormat.Json,
            code => programmes.FirstOrDefault(p => p.Code == code));
        if (!import.Valid)
        {
            throw new InvalidOperationException("Data/Seed/rules.json is invalid: " +
                string.Join("; ", import.Problems.Select(p => $"line {p.Line} {p.Field}: {p.Description}")));
        }

        var seeded = await db.RuleVersions.Select(r => r.ProgrammeCode).Distinct().ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var rule in import.Rules.Where(r => !seeded.Contains(r.ProgrammeCode)))
        {
            var version = rule.Version > 0 ? rule.Version : 1;
            db.RuleVersions.Add(new RuleVersionRecord
            {
                RuleId = rule.RuleId,
                Version = version,
                ProgrammeCode = rule.ProgrammeCode,
                Definition = ConversionJson.Write(rule with { Version = version }),
                EffectiveFrom = rule.EffectiveFrom,
                EffectiveTo = rule.EffectiveTo,
                CreatedBy = "system",
                CreatedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        LogSeeded(programmes.Count, import.Rules.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Programmes loaded: {Programmes}; seed rules: {Rules}")]
    private partial void LogSeeded(int programmes, int rules);
}
