using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace CreditBank.Portal.Session;

/// <summary>
/// Sign-in through the identity service: authorization code + PKCE (the portal is a public client), the tokens kept on
/// the server (<see cref="ServerSideSessions"/>: the browser holds only a session key in an HttpOnly cookie).
/// </summary>
public static class PortalSignIn
{
    public const string CookieScheme = "Portal";
    public const string OidcScheme = "PortalOidc";

    /// <summary>The policy of every page of a signed-in person: the portal's session, whatever the host's default scheme is.</summary>
    public const string Policy = "portal";

    /// <summary>
    /// The policy of the pages open to anyone (the home page, sign-out): the portal's session is read if there is one,
    /// so that a form's antiforgery token is issued and checked for the same person (it is bound to who is signed in).
    /// </summary>
    public const string VisitorPolicy = "portal-visitor";

    /// <summary>The scopes asked for; the identity service grants each person only those of their role.</summary>
    private static readonly string[] Scopes = ["openid", "profile", "roles", "accounts.read", "conversions.apply", "outcomes.review", "admin",
        "outcomes.submit", "conversions.decide", "outcomes.apply"];

    internal static IHostApplicationBuilder AddPortalSignIn(this IHostApplicationBuilder builder, PortalOptions options)
    {
        builder.Services.AddDistributedMemoryCache();
        builder.Services.AddSingleton<ServerSideSessions>();
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieScheme)
            .Configure<ServerSideSessions>((cookie, sessions) => cookie.SessionStore = sessions);

        builder.Services.AddAuthentication()
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = "creditbank.portal";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the portal is served over HTTPS (always, but on a developer's loopback).
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = options.IdleTimeout;
                cookie.SlidingExpiration = true;
                cookie.ForwardChallenge = OidcScheme;
                cookie.AccessDeniedPath = "/";
                cookie.Events.OnValidatePrincipal = EndWhenTokenExpires;
            })
            .AddOpenIdConnect(OidcScheme, oidc =>
            {
                oidc.Authority = options.Authority;
                oidc.RequireHttpsMetadata = !options.AllowHttp;
                oidc.ClientId = options.ClientId;
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                // The code comes back in the query string of a top-level GET: SameSite=Lax cookies (correlation, nonce) still arrive.
                oidc.ResponseMode = OpenIdConnectResponseMode.Query;
                oidc.UsePkce = true;
                oidc.ProtocolValidator = new RandomNonces();
                oidc.SaveTokens = true;
                oidc.MapInboundClaims = false;
                oidc.GetClaimsFromUserInfoEndpoint = false;
                oidc.SignInScheme = CookieScheme;
                oidc.CallbackPath = "/signin-callback";
                oidc.SignedOutCallbackPath = "/signout-callback";
                oidc.SignedOutRedirectUri = "/";
                oidc.Scope.Clear();
                foreach (var scope in Scopes)
                {
                    oidc.Scope.Add(scope);
                }

                oidc.TokenValidationParameters.NameClaimType = "name";
                oidc.TokenValidationParameters.RoleClaimType = "role";
                foreach (var cookie in new[] { oidc.CorrelationCookie, oidc.NonceCookie })
                {
                    cookie.SameSite = SameSiteMode.Lax;
                    cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                }

                // A refused or broken sign-in lands on the home page with a message, not on an exception page.
                oidc.Events.OnRemoteFailure = context =>
                {
                    context.Response.Redirect("/?signin=failed");
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(CookieScheme).RequireAuthenticatedUser())
            .AddPolicy(VisitorPolicy, policy => policy.AddAuthenticationSchemes(CookieScheme).RequireAssertion(_ => true));
        return builder;
    }

    /// <summary>
    /// A session ends with its access token: the next page asks the identity service again, which signs the person back
    /// in at once while its own session lasts, and returns them to the page they were on.
    /// </summary>
    private static async Task EndWhenTokenExpires(CookieValidatePrincipalContext context)
    {
        var expiresAt = context.Properties.GetTokenValue("expires_at");
        if (expiresAt is null || !DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            || end <= TimeProvider.System.GetUtcNow().AddSeconds(30))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
        }
    }
}
