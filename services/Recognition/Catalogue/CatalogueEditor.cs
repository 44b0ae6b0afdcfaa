using CreditBank.Contracts.Events;
using CreditBank.Grpc;
using CreditBank.Messaging;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Validation;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Recognition.Catalogue;

/// <summary>
/// Administrators' changes to the catalogue (institutions, accreditation units): saved, then the catalogue every
/// decision reads is reloaded. Who changed a unit and when is kept on it; a unit's version counts its changes.
/// Grading schemes are announced (<see cref="GradingSchemeDefined"/>) in the transaction that saves them.
/// </summary>
internal sealed partial class CatalogueEditor(RecognitionDb db, CatalogueStore store, TimeProvider time, ILogger<CatalogueEditor> logger)
{
    public async Task<Institution> SaveInstitutionAsync(CatalogueValidation.InstitutionChange given, string actor, CancellationToken ct)
    {
        var saved = await db.Institutions.FirstOrDefaultAsync(i => i.Code == given.Code, ct);
        if (saved is null)
        {
            saved = new Institution { Code = given.Code, Name = given.Name, Kind = given.Kind, Region = given.Region };
            db.Institutions.Add(saved);
        }

        (saved.Name, saved.Kind, saved.Region, saved.IsTrustedIssuer) = (given.Name, given.Kind, given.Region, given.Trusted);
        await db.SaveChangesAsync(ct);
        await store.ReloadAsync(db, ct);
        LogInstitutionSaved(saved.Code, saved.IsTrustedIssuer, actor);
        return saved;
    }

    public async Task<AccreditationUnit> SaveUnitAsync(CatalogueValidation.UnitChange unit, string actor, CancellationToken ct)
    {
        var saved = await db.AccreditationUnits.FirstOrDefaultAsync(u => u.Code == unit.Code, ct);
        if (saved is null)
        {
            saved = new AccreditationUnit { Code = unit.Code, Kind = unit.Kind, Name = unit.Name };
            db.AccreditationUnits.Add(saved);
        }
        else
        {
            saved.Version++;
        }

        (saved.Kind, saved.Name, saved.Level, saved.FrameworkLevel, saved.Credits, saved.MinCredits, saved.MaxCredits, saved.Criteria) =
            (unit.Kind, unit.Name, unit.Level, unit.FrameworkLevel, unit.Credits, unit.MinCredits, unit.MaxCredits, unit.Criteria);
        (saved.ChangedBy, saved.ChangedAt) = (actor, time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw Problems.FailedPrecondition("CONCURRENT_CHANGE", $"Unit {unit.Code} was changed by someone else at the same time; load it and try again.");
        }

        await store.ReloadAsync(db, ct);
        LogUnitSaved(saved.Code, saved.Version, actor);
        return saved;
    }

    /// <summary>
    /// Registers or changes grading schemes (评分制) on <paramref name="db"/>'s pending changes and announces each as it
    /// now stands, so that its outbox row commits with them; the caller saves. Schemes are stated again even when
    /// unchanged: a reader that missed one (a new conversion database) learns it, and the newest statement wins.
    /// </summary>
    public static async Task DefineGradingSchemesAsync(RecognitionDb db, IEnumerable<GradingSchemeDefinition> schemes, string actor, DateTimeOffset now,
        CancellationToken ct)
    {
        var known = await db.GradingSchemes.ToDictionaryAsync(g => g.Code, ct);
        foreach (var given in schemes)
        {
            if (known.TryGetValue(given.Code, out var scheme))
            {
                (scheme.Name, scheme.Kind, scheme.Min, scheme.Max, scheme.PassMark, scheme.Values) =
                    (given.Name, given.Kind, given.Min, given.Max, given.PassMark, given.Values);
            }
            else
            {
                db.GradingSchemes.Add(scheme = given);
            }

            db.Enqueue(actor, now, new GradingSchemeDefined
            {
                Code = scheme.Code,
                Name = scheme.Name,
                Kind = scheme.Kind,
                Min = scheme.Min,
                Max = scheme.Max,
                PassMark = scheme.PassMark,
                Values = scheme.Values.Select(v => new GradingSchemeValue(v.Value, v.Passes)).ToList(),
            });
        }
    }

    [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Institution {Code} saved (trusted issuer: {Trusted}) by {Actor}")]
    private partial void LogInstitutionSaved(string code, bool trusted, string actor);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Accreditation unit {Code} saved as version {Version} by {Actor}")]
    private partial void LogUnitSaved(string code, int version, string actor);
}
