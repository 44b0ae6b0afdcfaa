using System.Security.Claims;
using System.Text.Json;
using CreditBank.Grpc.Security;
using CreditBank.Identity.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CreditBank.Identity.Endpoints;

/// <summary>
/// <c>POST /connect/token</c>, after OpenIddict has authenticated the client and validated the request: decides what
/// the token says about its holder.
/// </summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> Exchange(HttpContext http, IOpenIddictApplicationManager applications, IdentityDb db)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        if (request.IsClientCredentialsGrantType())
        {
            return await ForClientAsync(request, applications, http.RequestAborted);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The code or refresh token was validated by OpenIddict; re-read the person so a removed one gets nothing.
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var subject = result.Principal?.GetClaim(Claims.Subject);
            var person = Guid.TryParse(subject, out var id)
                ? await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, http.RequestAborted)
                : null;
            if (person is null)
            {
                return Forbid(Errors.InvalidGrant, "The person this grant was issued to no longer exists.");
            }

            return Results.SignIn(PersonPrincipal.Create(person, result.Principal!.GetScopes()), null,
                OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Forbid(Errors.UnsupportedGrantType, "Use client_credentials, authorization_code or refresh_token.");
    }

    private static async Task<IResult> ForClientAsync(OpenIddictRequest request, IOpenIddictApplicationManager applications, CancellationToken ct)
    {
        var application = await applications.FindByClientIdAsync(request.ClientId!, ct)
            ?? throw new InvalidOperationException("OpenIddict authenticated a client it cannot find.");
        var properties = await applications.GetPropertiesAsync(application, ct);
        var permitted = (await applications.GetPermissionsAsync(application, ct))
            .Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
            .Select(p => p[Permissions.Prefixes.Scope.Length..])
            .ToHashSet(StringComparer.Ordinal);
        var requested = request.GetScopes();

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, request.ClientId)
            .SetClaim(Claims.Name, await applications.GetDisplayNameAsync(application, ct))
            .SetClaim(Claims.Role, Read(properties, ClientProperties.Role))
            .SetClaim(BankClaims.InstitutionCode, Read(properties, ClientProperties.InstitutionCode))
            .SetClaim(BankClaims.PartnerCode, Read(properties, ClientProperties.PartnerCode));
        // No scope asked for: every scope the client holds. OpenIddict has already refused scopes it does not hold.
        identity.SetScopes(requested.IsEmpty ? permitted : requested.Where(permitted.Contains));
        identity.SetDestinations(static _ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static string? Read(IReadOnlyDictionary<string, JsonElement> properties, string name) =>
        properties.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IResult Forbid(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
