using System.Security.Claims;
using CreditBank.Grpc.Security;
using CreditBank.Identity.Domain;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CreditBank.Identity.Endpoints;

/// <summary>What a person's tokens say: who they are, their role, and the scopes their role allows among those asked for.</summary>
internal static class PersonPrincipal
{
    private static readonly string[] OpenIdScopes =
        [OpenIddictConstants.Scopes.OpenId, OpenIddictConstants.Scopes.Profile, OpenIddictConstants.Scopes.Roles, OpenIddictConstants.Scopes.OfflineAccess];

    public static ClaimsPrincipal Create(Person person, IEnumerable<string> requestedScopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, person.Id.ToString())
            .SetClaim(Claims.Name, person.DisplayName)
            .SetClaim(Claims.PreferredUsername, person.UserName)
            .SetClaim(Claims.Role, person.Role)
            .SetClaim(BankClaims.Workstation, person.Workstation)
            .SetClaim(BankClaims.InstitutionCode, person.InstitutionCode)
            .SetClaim(BankClaims.DocumentHash, person.DocumentHash);
        identity.SetScopes(requestedScopes.Where(s => OpenIdScopes.Contains(s) || person.AllowedScopes.Contains(s)));
        identity.SetDestinations(static claim => claim.Type switch
        {
            // The workstation and institution too: the portal shows a reviewer their workstation's queue, staff their institution's work.
            Claims.Name or Claims.PreferredUsername or Claims.Role or BankClaims.Workstation or BankClaims.InstitutionCode
                => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });
        return new ClaimsPrincipal(identity);
    }
}
