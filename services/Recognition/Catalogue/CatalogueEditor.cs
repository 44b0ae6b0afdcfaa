using CreditBank.Grpc;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Validation;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Recognition.Catalogue;

/// <summary>
/// Administrators' changes to the catalogue (institutions, accreditation units): saved, then the catalogue every
/// decision reads is reloaded. Who changed a unit and when is kept on it; a unit's version counts its changes.
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

    [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Institution {Code} saved (trusted issuer: {Trusted}) by {Actor}")]
    private partial void LogInstitutionSaved(string code, bool trusted, string actor);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Accreditation unit {Code} saved as version {Version} by {Actor}")]
    private partial void LogUnitSaved(string code, int version, string actor);
}
