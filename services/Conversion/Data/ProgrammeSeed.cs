using CreditBank.Conversion.Domain;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Conversion.Data;

/// <summary>
/// Loads the demo programmes (<c>Data/Seed/programmes.json</c>) and their rules (<c>Data/Seed/rules.json</c>, in the
/// import format) at start-up, insert-only: a programme only when its code is new (as version 1), so what the API made
/// of it (<see cref="Programmes.ProgrammeVersioning"/>) is never overwritten; rules only into a programme that has none
/// yet, so imported versions are never overwritten either.
/// </summary>
internal sealed partial class ProgrammeSeed(IServiceScopeFactory scopes, TimeProvider time, ILogger<ProgrammeSeed> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Data", "Seed");
        var programmes = ConversionJson.Read<List<Programme>>(await File.ReadAllTextAsync(Path.Combine(folder, "programmes.json"), cancellationToken));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConversionDb>();
        var now = time.GetUtcNow();
        var existing = await db.Programmes.ToDictionaryAsync(p => p.Code, cancellationToken);
        var versioned = (await db.ProgrammeVersions.Select(v => v.ProgrammeCode).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        foreach (var programme in programmes.Where(p => !existing.ContainsKey(p.Code)))
        {
            var record = new ProgrammeRecord { Code = programme.Code, InstitutionCode = programme.InstitutionCode, Definition = ConversionJson.Write(programme) };
            db.Programmes.Add(record);
            existing[programme.Code] = record;
        }

        // A programme stored before programmes had versions is its own version 1.
        foreach (var record in existing.Values.Where(r => !versioned.Contains(r.Code)))
        {
            db.ProgrammeVersions.Add(new ProgrammeVersionRecord
            {
                ProgrammeCode = record.Code, Version = record.Version, Definition = record.Definition, CreatedBy = "system", CreatedAt = now,
            });
        }

        var import = RuleFiles.Read(await File.ReadAllTextAsync(Path.Combine(folder, "rules.json"), cancellationToken), RuleFileFormat.Json,
            code => programmes.FirstOrDefault(p => p.Code == code));
        if (!import.Valid)
        {
            throw new InvalidOperationException("Data/Seed/rules.json is invalid: " +
                string.Join("; ", import.Problems.Select(p => $"line {p.Line} {p.Field}: {p.Description}")));
        }

        var seeded = await db.RuleVersions.Select(r => r.ProgrammeCode).Distinct().ToListAsync(cancellationToken);
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
