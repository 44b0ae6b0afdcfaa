using CreditBank.Identity.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;

namespace CreditBank.Identity.Data;

/// <summary>
/// OpenIddict's application manager, with what OpenIddict's single hashed secret per client cannot say: an onboarded
/// institution's client is refused once disabled, and its secret before the last rotation is still accepted until its
/// grace period ends (kept hashed, with its expiry, in <c>institutions</c>). Every client authentication goes through
/// <see cref="ValidateClientSecretAsync(OpenIddictEntityFrameworkCoreApplication, string, CancellationToken)"/>, so the
/// token, introspection and revocation endpoints all see the same answer.
/// </summary>
internal sealed class InstitutionClients(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    IdentityDb db,
    TimeProvider time)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    public override async ValueTask<bool> ValidateClientSecretAsync(OpenIddictEntityFrameworkCoreApplication application, string secret,
        CancellationToken cancellationToken = default)
    {
        var institution = application.ClientId is { } clientId
            ? await db.Institutions.AsNoTracking().FirstOrDefaultAsync(i => i.ClientId == clientId, cancellationToken)
            : null;
        if (institution?.DisabledAt is not null)
        {
            return false;
        }

        if (await base.ValidateClientSecretAsync(application, secret, cancellationToken))
        {
            return true;
        }

        return institution is not null && institution.AcceptsPreviousSecret(time.GetUtcNow())
            && await ValidateClientSecretAsync(secret, institution.PreviousSecretHash!, cancellationToken);
    }

    /// <summary>A disabled institution's client has no keys to sign with: its client assertions fail as its secret does.</summary>
    public override async ValueTask<Microsoft.IdentityModel.Tokens.JsonWebKeySet?> GetJsonWebKeySetAsync(OpenIddictEntityFrameworkCoreApplication application,
        CancellationToken cancellationToken = default)
    {
        var keys = await base.GetJsonWebKeySetAsync(application, cancellationToken);
        return keys is not null && application.ClientId is { } clientId
            && await db.Institutions.AsNoTracking().AnyAsync(i => i.ClientId == clientId && i.DisabledAt != null, cancellationToken)
            ? null
            : keys;
    }

    /// <summary>The secret's hash as stored now (before it is replaced by a rotation).</summary>
    public ValueTask<string?> GetSecretHashAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken ct) =>
        Store.GetClientSecretAsync(application, ct);
}
