using System.Security.Cryptography;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using CreditBank.Identity.Data;
using CreditBank.Identity.Domain;
using CreditBank.Persistence;
using CreditBank.Persistence.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace CreditBank.Identity.Administration;

/// <summary>Reviewers and administrators created by an administrator; passwords reset and sessions revoked by one. Each change is audited.</summary>
internal sealed class PeopleAdministration(IdentityDb db, IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, TimeProvider time)
{
    private static readonly PasswordHasher<Person> Hasher = new();

    /// <param name="changeAtFirstSignIn">
    /// True when an administrator chose the password for someone else; false for the first administrator, whose
    /// password the operators chose for themselves (<see cref="AdministratorBootstrap"/>).
    /// </param>
    /// <param name="institution">A staff member's institution: it must be registered.</param>
    public async Task<Person> CreateAsync(string userName, string displayName, string password, string role, string? workstation,
        string? institution, bool changeAtFirstSignIn, string actor, CancellationToken ct)
    {
        if (institution is not null && !await db.Institutions.AnyAsync(i => i.Code == institution, ct))
        {
            throw InstitutionOnboarding.NotFound(institution);
        }

        var now = time.GetUtcNow();
        var person = new Person
        {
            Id = Guid.CreateVersion7(),
            UserName = userName,
            PasswordHash = string.Empty,
            DisplayName = displayName,
            Role = role,
            Workstation = workstation,
            InstitutionCode = institution,
            CreatedAt = now,
            PasswordChangeRequired = changeAtFirstSignIn,
        };
        person.PasswordHash = Hasher.HashPassword(person, password);
        if (await db.People.AnyAsync(p => p.UserName == userName, ct))
        {
            throw UserNameTaken(userName);
        }

        db.People.Add(person);
        var action = role switch { Roles.Admin => "CreateAdministrator", Roles.Institution => "CreateInstitutionStaff", _ => "CreateReviewer" };
        db.Audit(now, actor, action, Target(userName), null, person.Audited());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            throw UserNameTaken(userName);
        }

        return person;
    }

    /// <summary>Sets <paramref name="newPassword"/>, or a generated one (returned) when it is empty.</summary>
    public async Task<(Person Person, string? Temporary)> ResetPasswordAsync(string userName, string? newPassword, string actor, CancellationToken ct)
    {
        var person = await FindAsync(userName, ct);
        var before = person.Audited();
        var temporary = string.IsNullOrEmpty(newPassword) ? TemporaryPassword() : null;
        // An administrator who sets their own password chose it for themselves; anyone else replaces it at the next sign-in.
        var byThemselves = newPassword is { Length: > 0 } && actor == $"{Roles.Admin}:{person.Id}";
        person.PasswordReset(Hasher.HashPassword(person, newPassword is { Length: > 0 } ? newPassword : temporary!), byThemselves);
        var now = time.GetUtcNow();
        db.Audit(now, actor, "ResetPassword", Target(userName), before, person.Audited());
        await db.SaveChangesAsync(ct);
        return (person, temporary);
    }

    /// <summary>Refresh tokens and authorizations revoked through OpenIddict; sign-in sessions begun before now end.</summary>
    public async Task<(Person Person, long Revoked)> RevokeSessionsAsync(string userName, string actor, CancellationToken ct)
    {
        var person = await FindAsync(userName, ct);
        var before = person.Audited();
        var subject = person.Id.ToString();
        var revoked = await tokens.RevokeBySubjectAsync(subject, ct) + await authorizations.RevokeBySubjectAsync(subject, ct);
        var now = time.GetUtcNow();
        person.SessionsRevokedAt = now;
        db.Audit(now, actor, "RevokeSessions", Target(userName), before, person.Audited());
        await db.SaveChangesAsync(ct);
        return (person, revoked);
    }

    public static string Target(string userName) => $"person:{userName}";

    private async Task<Person> FindAsync(string userName, CancellationToken ct) =>
        await db.People.FirstOrDefaultAsync(p => p.UserName == userName, ct)
        ?? throw Problems.NotFound("PERSON_NOT_FOUND", $"No one signs in as '{userName}'.");

    private static global::Grpc.Core.RpcException UserNameTaken(string userName) =>
        Problems.AlreadyExists("USER_NAME_TAKEN", $"Someone already signs in as '{userName}'; choose another user name.");

    /// <summary>16 characters from an alphabet without look-alikes, always with letters and digits (it meets the password policy).</summary>
    private static string TemporaryPassword()
    {
        const string letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
        const string digits = "23456789";
        var chars = RandomNumberGenerator.GetItems<char>(letters + digits, 14).ToList();
        chars.Add(RandomNumberGenerator.GetItems<char>(letters, 1)[0]);
        chars.Add(RandomNumberGenerator.GetItems<char>(digits, 1)[0]);
        return new string([.. chars]);
    }
}
