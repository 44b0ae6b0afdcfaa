using CreditBank.Grpc.Security;
using CreditBank.Identity.Data;
using CreditBank.Identity.Domain;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Identity.Endpoints;

/// <summary>A member of an institution's staff signs in only while the institution's access is not disabled.</summary>
internal static class InstitutionStaff
{
    /// <summary>True for staff of an institution an administrator disabled (its client and its people alike).</summary>
    public static async Task<bool> IsSuspendedAsync(IdentityDb db, Person person, CancellationToken ct) =>
        person.Role == Roles.Institution
        && await db.Institutions.AnyAsync(i => i.Code == person.InstitutionCode && i.DisabledAt != null, ct);
}
