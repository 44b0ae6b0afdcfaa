using CreditBank.Portal.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Localization;

namespace CreditBank.Portal;

/// <summary>The portal's few endpoints that are not pages: sign-in, sign-out, the language switch and the stylesheet.</summary>
internal static class PortalEndpoints
{
    public static IEndpointRouteBuilder MapPortalEndpoints(this IEndpointRouteBuilder app)
    {
        var portal = app.MapGroup(string.Empty).WithMetadata(PortalEndpoint.Marker);

        // Sends the person to the identity service's sign-in page, then back to the page they asked for.
        portal.MapGet("/signin", (string? returnUrl) => Results.Challenge(
            new AuthenticationProperties { RedirectUri = LocalOr(returnUrl, "/start") }, [PortalSignIn.OidcScheme])).AllowAnonymous();

        // Where a person lands after signing in from the home page: their role's first page.
        portal.MapGet("/start", (HttpContext http) => Results.LocalRedirect(http.User.FindFirst("role")?.Value switch
        {
            "admin" => "/admin/institutions",
            "reviewer" => "/reviewer/queue",
            "institution" => "/institution/upload",
            _ => "/learner/account",
        })).RequireAuthorization(PortalSignIn.Policy);

        // Ends the portal's session and the identity service's (its end-session endpoint), then comes back to the home page.
        // A form post (with its antiforgery token, checked because the endpoint reads the form), never a link another site could follow.
        portal.MapPost("/signout", (IFormCollection _) => Results.SignOut(
            new AuthenticationProperties { RedirectUri = "/" }, [PortalSignIn.CookieScheme, PortalSignIn.OidcScheme]))
            .RequireAuthorization(PortalSignIn.VisitorPolicy);

        // The language switch: remembered for a year, then back to the same page.
        portal.MapGet("/culture", (HttpContext http, string? lang, string? returnUrl) =>
        {
            var culture = PortalModule.Cultures.FirstOrDefault(c => c.Name == lang) ?? PortalModule.Cultures[0];
            http.Response.Cookies.Append(PortalModule.CultureCookie, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, IsEssential = true });
            return Results.LocalRedirect(LocalOr(returnUrl, "/"));
        }).AllowAnonymous();

        portal.MapGet("/portal.css", () =>
        {
            var css = typeof(PortalEndpoints).Assembly.GetManifestResourceStream("CreditBank.Portal.portal.css")!;
            return Results.Stream(css, "text/css; charset=utf-8");
        }).AllowAnonymous();
        return app;
    }

    /// <summary>Only paths on this site: never an open redirect.</summary>
    internal static string LocalOr(string? url, string fallback) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : fallback;
}
