using System.Text;
using CreditBank.Contracts.Credentials.V1;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Portal.Bank;
using CreditBank.Portal.Components.Shared;
using CreditBank.Portal.Session;
using Grpc.Core;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Localization;

namespace CreditBank.Portal;

/// <summary>
/// The portal's few endpoints that are not pages: sign-in, sign-out, the language switch, evidence and credential
/// downloads and the stylesheet.
/// </summary>
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
        // A form post with its antiforgery token, never a link another site could follow. The token is bound to the person
        // signed in when the page was shown: once their session expired it cannot match, and the person who signs out of
        // a page left open would get an error page instead. Without a session there is nothing of theirs to protect
        // here, so the post then ends identity's session all the same; with one, the token must be valid.
        portal.MapPost("/signout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (http.User.Identity?.IsAuthenticated == true && !await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }

            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [PortalSignIn.CookieScheme, PortalSignIn.OidcScheme]);
        }).RequireAuthorization(PortalSignIn.VisitorPolicy).DisableAntiforgery();

        // The language switch: remembered for a year, then back to the same page.
        portal.MapGet("/culture", (HttpContext http, string? lang, string? returnUrl) =>
        {
            var culture = PortalModule.Cultures.FirstOrDefault(c => c.Name == lang) ?? PortalModule.Cultures[0];
            http.Response.Cookies.Append(PortalModule.CultureCookie, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, IsEssential = true });
            return Results.LocalRedirect(LocalOr(returnUrl, "/"));
        }).AllowAnonymous();

        // An evidence file of an outcome, fetched with the signed-in person's token (the service decides who may read it),
        // always as a download: never shown inline, never sniffed into another type.
        portal.MapGet("/evidence/{outcomeId}/{fileId}", async (string outcomeId, string fileId, HttpContext http, BankCalls bank) =>
        {
            GetEvidenceFileResponse file;
            try
            {
                file = await bank.Recognition.GetEvidenceFileAsync(new GetEvidenceFileRequest { OutcomeId = outcomeId, FileId = fileId }, await bank.AsPersonAsync());
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument or StatusCode.PermissionDenied)
            {
                return Results.NotFound();
            }

            return Download(http, file.Content.Memory, file.File.ContentType, file.File.FileName);
        }).RequireAuthorization(PortalSignIn.Policy);

        // A learner's verifiable credentials as .jwt files, fetched with their token (the credentials service answers only
        // the learner a credential is about): an outcome's credential (issued the first time, the same one after), and a
        // credential issued before by id (the transcript the transcript page issued).
        portal.MapGet("/learner/outcomes/{outcomeId}/credential.jwt", async (string outcomeId, HttpContext http, BankCalls bank) =>
        {
            try
            {
                var issued = await bank.Credentials.IssueOutcomeCredentialAsync(new IssueOutcomeCredentialRequest { OutcomeId = outcomeId }, await bank.AsPersonAsync());
                return JwtFile(http, issued.Credential.CredentialId, Encoding.ASCII.GetBytes(issued.Credential.Jwt));
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument or StatusCode.PermissionDenied or StatusCode.FailedPrecondition)
            {
                // Not theirs, not banked, or revoked: no credential states it.
                return Results.NotFound();
            }
        }).RequireAuthorization(PortalSignIn.Policy);

        portal.MapGet("/learner/credentials/{credentialId:guid}.jwt", async (Guid credentialId, HttpContext http, BankCalls bank) =>
        {
            try
            {
                var file = await bank.Credentials.DownloadCredentialAsync(new DownloadCredentialRequest { CredentialId = credentialId.ToString() }, await bank.AsPersonAsync());
                return JwtFile(http, credentialId.ToString(), file.Data.Memory);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument or StatusCode.PermissionDenied)
            {
                return Results.NotFound();
            }
        }).RequireAuthorization(PortalSignIn.Policy);

        portal.MapGet("/portal.css", () =>
        {
            var css = typeof(PortalEndpoints).Assembly.GetManifestResourceStream("CreditBank.Portal.portal.css")!;
            return Results.Stream(css, "text/css; charset=utf-8");
        }).AllowAnonymous();
        return app;
    }

    /// <summary>A VC-JWT as a download named by its credential's id.</summary>
    private static IResult JwtFile(HttpContext http, string credentialId, ReadOnlyMemory<byte> jwt) =>
        Download(http, jwt, "application/jwt", $"{CredentialIds.Bare(credentialId)}.jwt");

    /// <summary>A file as a download: never shown inline, never sniffed into another type, never cached.</summary>
    private static IResult Download(HttpContext http, ReadOnlyMemory<byte> content, string contentType, string fileName)
    {
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
        return Results.Bytes(content, contentType, fileName);
    }

    /// <summary>Only paths on this site: never an open redirect.</summary>
    internal static string LocalOr(string? url, string fallback) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : fallback;
}
