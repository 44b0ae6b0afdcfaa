using CreditBank.Conversion.Data;
using CreditBank.Conversion.Domain;
using CreditBank.Conversion.Rules;
using CreditBank.Grpc;
using CreditBank.Grpc.Validation;
using CreditBank.Persistence;
using CreditBank.Persistence.Audit;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Conversion.Programmes;

/// <summary>A programme version with who made it and when.</summary>
internal sealed record ProgrammeVersion(Programme Programme, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>
/// Programmes (专业 / 培养方案) made and changed through the API, versioned as rules are (<see cref="RuleVersioning"/>):
/// a changed definition is a new version, used by evaluations from then on; an unchanged one makes none. Every version
/// is kept, so an application cites the one it was evaluated under. Who may do it is the caller's concern.
/// </summary>
internal sealed partial class ProgrammeVersioning(ConversionDb db, RuleVersioning rules, TimeProvider time, ILogger<ProgrammeVersioning> logger)
{
    public async Task<ProgrammeVersion> CreateAsync(Programme programme, string actor, CancellationToken ct)
    {
        if (await db.Programmes.AnyAsync(p => p.Code == programme.Code, ct))
        {
            throw Exists(programme.Code);
        }

        var now = time.GetUtcNow();
        var first = programme with { Version = 1 };
        var definition = ConversionJson.Write(first);
        db.Programmes.Add(new ProgrammeRecord { Code = first.Code, InstitutionCode = first.InstitutionCode, Definition = definition, Version = 1 });
        db.ProgrammeVersions.Add(new ProgrammeVersionRecord { ProgrammeCode = first.Code, Version = 1, Definition = definition, CreatedBy = actor, CreatedAt = now });
        try
        {
            db.Audit(now, actor, "CreateProgramme", "programme:" + first.Code, null, first);
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            throw Exists(programme.Code);
        }

        LogCreated(first.Code, first.InstitutionCode, actor);
        return new ProgrammeVersion(first, actor, now);
    }

    /// <summary>
    /// A new version of <paramref name="code"/> defined as <paramref name="revised"/> (its code and institution stay);
    /// refused when <paramref name="expectedVersion"/> (if not 0) is no longer the current one, when another revision
    /// wins the race, or when it drops a course a rule in force exempts.
    /// </summary>
    public async Task<(ProgrammeVersion Version, bool Changed)> ReviseAsync(Programme current, Programme revised, int expectedVersion, string actor,
        CancellationToken ct)
    {
        if (expectedVersion != 0 && expectedVersion != current.Version)
        {
            throw Problems.FailedPrecondition("STALE_PROGRAMME_VERSION",
                $"{current.Code} is at version {current.Version}, not {expectedVersion}: read it again (GetProgramme) and revise that.");
        }

        var next = revised with { Code = current.Code, InstitutionCode = current.InstitutionCode, Version = current.Version + 1 };
        if (next.SameDefinitionAs(current))
        {
            return (await GetAsync(current.Code, current.Version, ct), false);
        }

        var dropped = current.Courses.Select(c => c.Code).Except(next.Courses.Select(c => c.Code)).ToHashSet();
        var inUse = (await rules.InForceAsync(current, ct)).Where(r => r.Exempts.Any(dropped.Contains)).ToList();
        if (inUse.Count > 0)
        {
            var violations = new FieldViolations();
            foreach (var rule in inUse)
            {
                violations.Add("courses", $"{string.Join(", ", rule.Exempts.Where(dropped.Contains))} is exempted by rule {rule}, which is in force: " +
                    "import the rules without it first (ImportRules), or keep the course.", "COURSE_IN_USE");
            }

            violations.ThrowIfAny("The programme was not revised");
        }

        var now = time.GetUtcNow();
        var definition = ConversionJson.Write(next);
        var record = await db.Programmes.FirstAsync(p => p.Code == current.Code, ct);
        (record.Definition, record.Version) = (definition, next.Version);
        db.ProgrammeVersions.Add(new ProgrammeVersionRecord { ProgrammeCode = next.Code, Version = next.Version, Definition = definition, CreatedBy = actor, CreatedAt = now });
        try
        {
            db.Audit(now, actor, "ReviseProgramme", "programme:" + next.Code, current, next);
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            throw Problems.FailedPrecondition("CONCURRENT_CHANGE", $"{current.Code} was revised by someone else at the same moment; read it again and retry.");
        }

        LogRevised(next.Code, next.Version, actor);
        return (new ProgrammeVersion(next, actor, now), true);
    }

    public async Task<ProgrammeVersion> GetAsync(string code, int version, CancellationToken ct)
    {
        var record = await db.ProgrammeVersions.AsNoTracking().FirstOrDefaultAsync(v => v.ProgrammeCode == code && v.Version == version, ct);
        return record is null
            ? throw Problems.NotFound("PROGRAMME_VERSION_NOT_FOUND", $"Programme {Text.Echo(code)} has no version {version}; GetProgramme without a version shows the current one.")
            : new ProgrammeVersion(ConversionJson.Programme(record), record.CreatedBy, record.CreatedAt);
    }

    /// <summary>Programmes as they stand now, in code order, from <paramref name="offset"/>; of one institution when it is given.</summary>
    public async Task<(IReadOnlyList<ProgrammeVersion> Page, bool More)> ListAsync(string? institution, int offset, int size, CancellationToken ct)
    {
        var query = db.Programmes.AsNoTracking();
        if (institution is not null)
        {
            query = query.Where(p => p.InstitutionCode == institution);
        }

        var records = await query.OrderBy(p => p.Code).Skip(offset).Take(size + 1).ToListAsync(ct);
        var page = records.Take(size).ToList();
        var codes = page.Select(p => p.Code).ToList();
        var versions = (await db.ProgrammeVersions.AsNoTracking().Where(v => codes.Contains(v.ProgrammeCode)).Select(v => new { v.ProgrammeCode, v.Version, v.CreatedBy, v.CreatedAt })
                .ToListAsync(ct))
            .ToDictionary(v => (v.ProgrammeCode, v.Version));
        return (page.Select(p => versions.TryGetValue((p.Code, p.Version), out var v)
            ? new ProgrammeVersion(ConversionJson.Programme(p), v.CreatedBy, v.CreatedAt)
            : new ProgrammeVersion(ConversionJson.Programme(p), "system", default)).ToList(), records.Count > size);
    }

    private static RpcException Exists(string code) =>
        Problems.AlreadyExists("PROGRAMME_EXISTS", $"Programme {code} exists already; ReviseProgramme makes a new version of it.");

    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Programme {Programme} of {Institution} created by {Actor}")]
    private partial void LogCreated(string programme, string institution, string actor);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Information, Message = "Programme {Programme} revised to version {Version} by {Actor}")]
    private partial void LogRevised(string programme, int version, string actor);
}
