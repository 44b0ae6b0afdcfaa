using System.Security.Cryptography;
using System.Text.Json;
using CreditBank.Contracts.Events;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using CreditBank.Identity.Data;
using CreditBank.Identity.Domain;
using CreditBank.Messaging;
using CreditBank.Persistence.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CreditBank.Identity.Administration;

/// <summary>
/// Onboarding institutions (机构入驻): each with its OAuth client, whose secret is shown once; rotating and disabling
/// clients; trust levels. Each change commits with its audit entry and its event in one transaction.
/// </summary>
internal sealed class InstitutionOnboarding(IdentityDb db, InstitutionClients applications, TimeProvider time)
{
    /// <summary>The scopes an institution's client holds, as the demo institutions hold them.</summary>
    public static readonly string[] InstitutionScopes = [CreditBank.Grpc.Security.Scopes.OutcomesSubmit, CreditBank.Grpc.Security.Scopes.ConversionsDecide];

    public async Task<(Institution Institution, string Secret)> RegisterAsync(Institution draft, string actor, CancellationToken ct)
    {
        var clientId = Institution.ClientIdFor(draft.Code);
        if (await db.Institutions.AnyAsync(i => i.Code == draft.Code, ct) || await applications.FindByClientIdAsync(clientId, ct) is not null)
        {
            throw Problems.AlreadyExists("INSTITUTION_ALREADY_REGISTERED", $"Institution {draft.Code} is already registered.");
        }

        var now = time.GetUtcNow();
        var institution = new Institution
        {
            Code = draft.Code,
            Name = draft.Name,
            Kind = draft.Kind,
            Region = draft.Region,
            IsTrustedIssuer = draft.IsTrustedIssuer,
            ClientId = clientId,
            CreatedAt = now,
        };
        var secret = NewSecret();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await applications.CreateAsync(Descriptor(institution, secret), ct);
        db.Institutions.Add(institution);
        db.Audit(now, actor, "RegisterInstitution", Target(institution.Code), null, Audited(institution));
        db.Enqueue(actor, now, new InstitutionRegistered { Institution = institution.Facts() });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (institution, secret);
    }

    public async Task<Institution> GetAsync(string code, CancellationToken ct) =>
        await db.Institutions.AsNoTracking().FirstOrDefaultAsync(i => i.Code == code, ct) ?? throw NotFound(code);

    /// <summary>By code; <paramref name="skip"/> is the page token's position.</summary>
    public Task<List<Institution>> ListAsync(int skip, int take, CancellationToken ct) =>
        db.Institutions.AsNoTracking().OrderBy(i => i.Code).Skip(skip).Take(take).ToListAsync(ct);

    public async Task<(Institution Institution, string Secret)> RotateSecretAsync(string code, TimeSpan grace, string actor, CancellationToken ct)
    {
        var institution = await db.Institutions.FirstOrDefaultAsync(i => i.Code == code, ct) ?? throw NotFound(code);
        if (institution.DisabledAt is not null)
        {
            throw Problems.FailedPrecondition("CLIENT_DISABLED", $"The client of institution {code} is disabled; a disabled client is not given a new secret.");
        }

        var application = await applications.FindByClientIdAsync(institution.ClientId, ct) ?? throw NotFound(code);
        var before = Audited(institution);
        var now = time.GetUtcNow();
        var secret = NewSecret();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var previousHash = await applications.GetSecretHashAsync(application, ct);
        await applications.UpdateAsync(application, secret, ct);
        institution.Rotated(previousHash, grace, now);
        db.Audit(now, actor, "RotateClientSecret", Target(code), before, Audited(institution));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (institution, secret);
    }

    /// <summary>Replaces the public keys the client may sign its token requests with (none when <paramref name="keys"/> is null).</summary>
    public async Task<Institution> SetKeysAsync(string code, JsonWebKeySet? keys, string actor, CancellationToken ct)
    {
        var institution = await db.Institutions.FirstOrDefaultAsync(i => i.Code == code, ct) ?? throw NotFound(code);
        if (institution.DisabledAt is not null)
        {
            throw Problems.FailedPrecondition("CLIENT_DISABLED", $"The client of institution {code} is disabled; a disabled client is not given keys.");
        }

        var application = await applications.FindByClientIdAsync(institution.ClientId, ct) ?? throw NotFound(code);
        var held = await applications.GetJsonWebKeySetAsync(application, ct);
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, ct);
        // The populated descriptor holds the secret's stored hash, so the secret stays as it is: only the keys change.
        descriptor.JsonWebKeySet = keys;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await applications.UpdateAsync(application, descriptor, ct);
        db.Audit(time.GetUtcNow(), actor, "SetClientKeys", Target(code), new { Keys = Thumbprints(held) }, new { Keys = Thumbprints(keys) });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return institution;
    }

    private static string[] Thumbprints(JsonWebKeySet? keys) => keys?.Keys.Select(ClientKeys.Thumbprint).ToArray() ?? [];

    public async Task<Institution> DisableAsync(string code, string actor, CancellationToken ct)
    {
        var institution = await db.Institutions.FirstOrDefaultAsync(i => i.Code == code, ct) ?? throw NotFound(code);
        if (institution.DisabledAt is not null)
        {
            return institution;
        }

        var before = Audited(institution);
        var now = time.GetUtcNow();
        institution.Disable(now);
        db.Audit(now, actor, "DisableClient", Target(code), before, Audited(institution));
        db.Enqueue(actor, now, new InstitutionChanged { Institution = institution.Facts() });
        await db.SaveChangesAsync(ct);
        return institution;
    }

    public async Task<Institution> ChangeTrustLevelAsync(string code, bool trusted, string actor, CancellationToken ct)
    {
        var institution = await db.Institutions.FirstOrDefaultAsync(i => i.Code == code, ct) ?? throw NotFound(code);
        if (institution.IsTrustedIssuer == trusted)
        {
            return institution;
        }

        var before = Audited(institution);
        var now = time.GetUtcNow();
        institution.IsTrustedIssuer = trusted;
        db.Audit(now, actor, "ChangeTrustLevel", Target(code), before, Audited(institution));
        db.Enqueue(actor, now, new InstitutionChanged { Institution = institution.Facts() });
        await db.SaveChangesAsync(ct);
        return institution;
    }

    public static string Target(string code) => $"institution:{code}";

    private static object Audited(Institution i) =>
        new { i.Code, i.Name, i.Kind, i.Region, i.IsTrustedIssuer, i.ClientId, i.DisabledAt, i.PreviousSecretExpiresAt };

    internal static global::Grpc.Core.RpcException NotFound(string code) =>
        Problems.NotFound("INSTITUTION_NOT_FOUND", $"No institution {code} is registered at the identity service.");

    /// <summary>256 random bits, base64url: what an institution's system keeps in its secret store.</summary>
    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static OpenIddictApplicationDescriptor Descriptor(Institution institution, string secret)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = institution.ClientId,
            ClientSecret = secret,
            DisplayName = institution.Name,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
        };
        descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.Endpoints.Revocation, Permissions.Endpoints.Introspection,
            Permissions.GrantTypes.ClientCredentials]);
        descriptor.Permissions.UnionWith(InstitutionScopes.Select(s => Permissions.Prefixes.Scope + s));
        descriptor.Properties[ClientProperties.Role] = JsonSerializer.SerializeToElement(Roles.Institution);
        descriptor.Properties[ClientProperties.InstitutionCode] = JsonSerializer.SerializeToElement(institution.Code);
        return descriptor;
    }
}
