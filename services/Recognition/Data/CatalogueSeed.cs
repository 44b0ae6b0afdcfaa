using System.Text.Json;
using CreditBank.Contracts.Learning;
using CreditBank.Recognition.Catalogue;
using CreditBank.Recognition.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreditBank.Recognition.Data;

/// <summary>
/// Loads the catalogue from <c>Data/Seed/*.json</c> at start-up, idempotently: institutions, workstations, framework
/// levels and grading schemes are inserted or updated by code (each scheme announced as it stands, see
/// <see cref="CatalogueEditor.DefineGradingSchemesAsync"/>); institutions, workstations and accreditation units only
/// inserted, so an administrator's later change is never overwritten by the seed. Invalid seed data stops the start.
/// </summary>
internal sealed partial class CatalogueSeed(IServiceScopeFactory scopes, CatalogueStore store, ILogger<CatalogueSeed> logger) : IHostedService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var institutions = await ReadAsync<Institution>("institutions.json", cancellationToken);
        var workstations = await ReadAsync<Workstation>("workstations.json", cancellationToken);
        var levels = await ReadAsync<FrameworkLevel>("framework_levels.json", cancellationToken);
        var units = await ReadAsync<UnitSeed>("units.json", cancellationToken);
        var schemes = await ReadAsync<GradingSchemeDefinition>("grading_schemes.json", cancellationToken);
        Check(institutions, workstations, units);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecognitionDb>();
        var existing = await db.Institutions.ToDictionaryAsync(i => i.Code, cancellationToken);
        foreach (var seed in institutions)
        {
            // Insert only: once registered, an institution is the administrators' (SaveInstitution), not the seed file's.
            if (!existing.ContainsKey(seed.Code))
            {
                db.Institutions.Add(seed);
            }
        }

        var stations = (await db.Workstations.Select(w => w.Code).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        // Insert only: once it exists, a workstation's districts and reviewers are the administrators' (WorkstationService).
        db.Workstations.AddRange(workstations.Where(w => !stations.Contains(w.Code)));

        var known = await db.FrameworkLevels.ToDictionaryAsync(l => l.Level, cancellationToken);
        foreach (var seed in levels)
        {
            if (known.TryGetValue(seed.Level, out var level))
            {
                (level.Name, level.Descriptor) = (seed.Name, seed.Descriptor);
            }
            else
            {
                db.FrameworkLevels.Add(seed);
            }
        }

        await CatalogueEditor.DefineGradingSchemesAsync(db, schemes, "system", DateTimeOffset.UtcNow, cancellationToken);

        var unitCodes = (await db.AccreditationUnits.Select(u => u.Code).ToListAsync(cancellationToken)).ToHashSet();
        db.AccreditationUnits.AddRange(units.Where(u => !unitCodes.Contains(u.Code)).Select(u => u.ToUnit()));
        await db.SaveChangesAsync(cancellationToken);
        await store.ReloadAsync(db, cancellationToken);
        LogSeeded(institutions.Count, workstations.Count, units.Count, levels.Count, schemes.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<List<T>> ReadAsync<T>(string file, CancellationToken ct)
    {
        await using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Data", "Seed", file));
        return await JsonSerializer.DeserializeAsync<List<T>>(stream, Json, ct) ?? [];
    }

    private static void Check(List<Institution> institutions, List<Workstation> workstations, List<UnitSeed> units)
    {
        var problems = new List<string>();
        foreach (var i in institutions)
        {
            if (InstitutionCode.Problem(i.Code) is { } problem)
            {
                problems.Add($"institution {i.Code} ({i.Name}): {problem}");
            }

            if (!Institution.Kinds.Contains(i.Kind) || !Institution.Regions.Contains(i.Region))
            {
                problems.Add($"institution {i.Code}: kind '{i.Kind}' or region '{i.Region}' is not one the bank knows");
            }
        }

        if (workstations.Count(w => w.IsDefault) != 1)
        {
            problems.Add("exactly one workstation must be the default");
        }

        // Courses carry the institution's own credits (up to 30); every other kind is capped at 8 per outcome.
        foreach (var u in units.Where(u => u.MinCredits > u.Credits || u.Credits > u.MaxCredits
                     || (u.Kind != "COURSE" && u.MaxCredits > CreditRules.MaxCreditsPerOutcome)))
        {
            problems.Add($"unit {u.Code}: credits must lie within min_credits … max_credits (≤ {CreditRules.MaxCreditsPerOutcome} unless a course)");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The catalogue seed data is invalid: " + string.Join("; ", problems));
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Catalogue loaded: {Institutions} institutions, {Workstations} workstations, {Units} accreditation units, {Levels} framework levels, {Schemes} grading schemes")]
    private partial void LogSeeded(int institutions, int workstations, int units, int levels, int schemes);

    private sealed record UnitSeed(string Code, string Kind, string Name, int Level, int FrameworkLevel, decimal Credits,
        decimal MinCredits, decimal MaxCredits, string Criteria)
    {
        public AccreditationUnit ToUnit() => new()
        {
            Code = Code,
            Kind = OutcomeKinds.Parse(Kind),
            Name = Name,
            Level = Level,
            FrameworkLevel = FrameworkLevel,
            Credits = Credits,
            MinCredits = MinCredits,
            MaxCredits = MaxCredits,
            Criteria = Criteria,
        };
    }
}

/// <summary>The catalogue snapshot the bank decides with, reloaded after an administrator's change and every minute.</summary>
public sealed class CatalogueStore
{
    private volatile CatalogueSnapshot _current = CatalogueSnapshot.Empty;

    public CatalogueSnapshot Current => _current;

    public async Task ReloadAsync(RecognitionDb db, CancellationToken ct)
    {
        _current = new CatalogueSnapshot(
            await db.Institutions.AsNoTracking().ToListAsync(ct),
            await db.Workstations.AsNoTracking().ToListAsync(ct),
            await db.FrameworkLevels.AsNoTracking().ToListAsync(ct),
            await db.AccreditationUnits.AsNoTracking().ToListAsync(ct),
            await db.GradingSchemes.AsNoTracking().ToListAsync(ct));
    }
}

/// <summary>Picks up catalogue changes made through another replica.</summary>
internal sealed class CatalogueRefresh(IServiceScopeFactory scopes, CatalogueStore store, IOptions<RecognitionOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CatalogueRefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await store.ReloadAsync(scope.ServiceProvider.GetRequiredService<RecognitionDb>(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The previous snapshot stays in use; the next tick tries again.
            }
        }
    }
}
