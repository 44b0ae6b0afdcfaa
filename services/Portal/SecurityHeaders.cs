namespace CreditBank.Portal;

/// <summary>
/// What every portal answer says about itself: a Content-Security-Policy that allows only the portal's own stylesheet
/// (no scripts at all: pages are rendered on the server and forms post normally), no framing, no sniffing.
/// </summary>
internal static class SecurityHeaders
{
    public static Task WriteAsync(HttpContext http, Func<Task> next)
    {
        var options = http.RequestServices.GetRequiredService<PortalOptions>();
        // Sign-out posts a form that the portal answers with a redirect to the identity service: browsers check
        // form-action against that redirect too, so the identity service's origin is allowed beside 'self'.
        var identity = Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) ? $" {authority.GetLeftPart(UriPartial.Authority)}" : string.Empty;
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; " +
            $"form-action 'self'{identity}; frame-ancestors 'none'; base-uri 'self'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.XFrameOptions = "DENY";
        return next();
    }
}
