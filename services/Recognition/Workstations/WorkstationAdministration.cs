using CreditBank.Grpc;
using CreditBank.Persistence;
using CreditBank.Persistence.Audit;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Recognition.Workstations;

/// <summary>
/// Administrators' changes to workstations (工作站): opening one, the districts it serves, the reviewers assigned to it.
/// Saved, then the catalogue every decision and review check reads is reloaded (other replicas within
/// <c>Recognition:CatalogueRefreshInterval</c>).
/// </summary>
internal sealed partial class WorkstationAdministration(RecognitionDb db, CatalogueStore store, TimeProvider time, ILogger<WorkstationAdministration> logger)
{
    public async Task<Workstation> CreateAsync(string code, string name, IReadOnlyList<string> districts, string actor, CancellationToken ct)
    {
        if (store.Current.Workstations.Any(w => w.Code == code) || await db.Workstations.AnyAsync(w => w.Code == code, ct))
        {
            throw Problems.AlreadyExists("WORKSTATION_EXISTS", $"Workstation {code} exists already; change its districts with UpdateWorkstationDistricts.");
        }

        var workstation = new Workstation { Code = code, Name = name, DistrictCodes = [.. districts] };
        await CheckDistrictsAsync(workstation, districts, ct);
        db.Workstations.Add(workstation);
        db.Audit(time.GetUtcNow(), actor, "CreateWorkstation", Target(code), null, new { code, name, districts });
        await SaveAsync(ct, () => Problems.AlreadyExists("WORKSTATION_EXISTS", $"Workstation {code} exists already."));
        LogCreated(code, districts.Count, actor);
        return workstation;
    }

    public async Task<Workstation> UpdateDistrictsAsync(string code, IReadOnlyList<string> districts, string actor, CancellationToken ct)
    {
        var workstation = await FindAsync(code, ct);
        await CheckDistrictsAsync(workstation, districts, ct);
        var before = workstation.DistrictCodes.ToList();
        workstation.DistrictCodes = [.. districts];
        db.Audit(time.GetUtcNow(), actor, "UpdateWorkstationDistricts", Target(code), new { districts = before }, new { districts });
        await SaveAsync(ct, Concurrent(code));
        LogDistricts(code, before.Count, districts.Count, actor);
        return workstation;
    }

    public async Task<Workstation> AssignAsync(string code, string reviewerSubject, string actor, CancellationToken ct)
    {
        var workstation = await FindAsync(code, ct);
        if (workstation.Assign(reviewerSubject))
        {
            db.Audit(time.GetUtcNow(), actor, "AssignReviewer", Target(code), null, new { reviewer = reviewerSubject });
            await SaveAsync(ct, Concurrent(code));
            LogAssigned(reviewerSubject, code, actor);
        }

        return workstation;
    }

    public async Task<Workstation> RemoveAsync(string code, string reviewerSubject, string actor, CancellationToken ct)
    {
        var workstation = await FindAsync(code, ct);
        if (workstation.Remove(reviewerSubject))
        {
            db.Audit(time.GetUtcNow(), actor, "RemoveReviewer", Target(code), new { reviewer = reviewerSubject }, null);
            await SaveAsync(ct, Concurrent(code));
            LogRemoved(reviewerSubject, code, actor);
        }

        return workstation;
    }

    private static string Target(string code) => "workstation:" + code;

    private async Task<Workstation> FindAsync(string code, CancellationToken ct) =>
        await db.Workstations.FirstOrDefaultAsync(w => w.Code == code, ct)
        ?? throw Problems.NotFound("WORKSTATION_NOT_FOUND", $"No workstation (工作站) '{code}' exists.");

    /// <summary>A district is served by one workstation: a learner's outcomes go to exactly one queue.</summary>
    private async Task CheckDistrictsAsync(Workstation workstation, IReadOnlyList<string> districts, CancellationToken ct)
    {
        var all = await db.Workstations.AsNoTracking().ToListAsync(ct);
        if (workstation.DistrictsServedElsewhere(districts, all) is { Count: > 0 } taken)
        {
            var by = all.First(w => w.Code != workstation.Code && w.DistrictCodes.Contains(taken[0]));
            throw Problems.FailedPrecondition("DISTRICT_SERVED_ELSEWHERE",
                $"District {taken[0]} is served by workstation {by.Code}{(taken.Count > 1 ? $" (and {taken.Count - 1} more of those given by others)" : string.Empty)}; take it from there first.");
        }
    }

    private async Task SaveAsync(CancellationToken ct, Func<Exception> onConflict)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e.IsUniqueViolation() || e is DbUpdateConcurrencyException)
        {
            throw onConflict();
        }

        await store.ReloadAsync(db, ct);
    }

    private static Func<Exception> Concurrent(string code) =>
        () => Problems.FailedPrecondition("CONCURRENT_CHANGE", $"Workstation {code} was changed by someone else at the same time; load it and try again.");

    [LoggerMessage(EventId = 3501, Level = LogLevel.Information, Message = "Workstation {Code} created with {Districts} districts by {Actor}")]
    private partial void LogCreated(string code, int districts, string actor);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Information, Message = "Workstation {Code} now serves {After} districts (was {Before}), by {Actor}")]
    private partial void LogDistricts(string code, int before, int after, string actor);

    [LoggerMessage(EventId = 3503, Level = LogLevel.Information, Message = "Reviewer {Reviewer} assigned to workstation {Code} by {Actor}")]
    private partial void LogAssigned(string reviewer, string code, string actor);

    [LoggerMessage(EventId = 3504, Level = LogLevel.Information, Message = "Reviewer {Reviewer} removed from workstation {Code} by {Actor}")]
    private partial void LogRemoved(string reviewer, string code, string actor);
}
