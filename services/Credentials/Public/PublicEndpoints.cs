using System.Globalization;
using System.Text.Json;
using CreditBank.Credentials.Data;
using CreditBank.Credentials.Domain;
using Microsoft.Net.Http.Headers;

namespace CreditBank.Credentials.Public;

/// <summary>
/// What anyone may read without a token, at stable URLs: the JWK Set and each key, the issuer's profile, and the status
/// lists. (Verification is <c>VerifyCredential</c>, open to anonymous callers, REST <c>/v1/credentials…:verify</c>.)
/// </summary>
internal static class PublicEndpoints
{
    public static IEndpointRouteBuilder MapPublicCredentials(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/jwks.json", (IssuerKeyRing keys, CredentialsOptions options, HttpContext http) =>
            Json(http, keys.JwkSet(options.IssuerId), "application/jwk-set+json", TimeSpan.FromMinutes(5))).AllowAnonymous();

        app.MapGet("/credentials/keys/{thumbprint}", (string thumbprint, IssuerKeyRing keys, CredentialsOptions options, HttpContext http) =>
            keys.FindByThumbprint(thumbprint) is { } key
                ? Json(http, key.PublicJwk(options.IssuerId), "application/jwk+json", TimeSpan.FromMinutes(5))
                : Results.NotFound()).AllowAnonymous();

        app.MapGet("/credentials/issuer", (CredentialFactory factory, HttpContext http) =>
            Json(http, factory.Issuer(), "application/json", TimeSpan.FromMinutes(5))).AllowAnonymous();

        app.MapGet("/credentials/status/{listId:int}", StatusListAsync).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// A status list credential (VC-JWT, <c>application/vc+jwt</c>), cacheable for <see cref="CredentialsOptions.StatusListMaxAge"/>
    /// and revalidated by ETag: <c>If-None-Match</c> with the current ETag answers 304 without a body.
    /// </summary>
    private static async Task StatusListAsync(int listId, StatusListCache cache, CredentialsOptions options, HttpContext http)
    {
        var served = await cache.GetAsync(listId, http.RequestAborted);
        if (served is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var headers = http.Response.Headers;
        headers.ETag = served.ETag;
        headers.CacheControl = $"public, max-age={(int)options.StatusListMaxAge.TotalSeconds}";
        headers.LastModified = served.UpdatedAt.ToString("R", CultureInfo.InvariantCulture);
        if (http.Request.Headers.IfNoneMatch.Any(v => v is not null && (v.Contains(served.ETag, StringComparison.Ordinal) || v == "*")))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        http.Response.ContentType = "application/vc+jwt";
        http.Response.ContentLength = served.Jwt.Length;
        await http.Response.Body.WriteAsync(served.Jwt, http.RequestAborted);
    }

    private static IResult Json(HttpContext http, object value, string contentType, TimeSpan maxAge)
    {
        http.Response.Headers[HeaderNames.CacheControl] = $"public, max-age={(int)maxAge.TotalSeconds}";
        return Results.Text(JsonSerializer.Serialize(value, CredentialFactory.Json), contentType);
    }
}
