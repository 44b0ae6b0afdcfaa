using CreditBank.Identity.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CreditBank.Identity.Endpoints;

/// <summary>
/// <c>GET /connect/authorize</c> (authorization code + PKCE): sends a person who has not signed in to the sign-in page,
/// then issues the code. The bank's own portal needs no consent screen (implicit consent).
/// </summary>
internal static class AuthorizationEndpoint
{
    public static async Task<IResult> Authorize(HttpContext http, IdentityDb db)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var signedIn = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var person = signedIn.Succeeded && Guid.TryParse(signedIn.Principal.GetClaim(Claims.Subject), out var id)
            ? await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, http.RequestAborted)
            : null;

        // A session begun before an administrator revoked this person's sessions is over; so is one of the staff of an
        // institution disabled since.
        if ((person?.SessionsRevokedAt is { } revoked && signedIn.Properties?.IssuedUtc is { } issued && issued <= revoked)
            || (person is not null && await InstitutionStaff.IsSuspendedAsync(db, person, http.RequestAborted)))
        {
            person = null;
        }

        if (person is null || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.LoginRequired,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "Sign in first.",
                }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            return Results.Challenge(new AuthenticationProperties
            {
                RedirectUri = http.Request.PathBase + http.Request.Path + http.Request.QueryString,
            }, [CookieAuthenticationDefaults.AuthenticationScheme]);
        }

        return Results.SignIn(PersonPrincipal.Create(person, request.GetScopes()), null,
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary><c>GET/POST /connect/logout</c>: ends the sign-in session and returns to the client.</summary>
    public static async Task<IResult> EndSession(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
