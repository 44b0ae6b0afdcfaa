using System.Security.Claims;
using System.Text.Encodings.Web;
using CreditBank.Grpc.Memory;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;

namespace CreditBank.Grpc.Security;

/// <summary>
/// Access tokens OpenIddict has validated on this replica, remembered with their principal until they expire (at most
/// <see cref="MaxAge"/>), so that a client's calls after its first skip parsing the JWT and checking its RS256
/// signature again. A token is immutable and the bank checks no revocation list for access tokens (they live
/// <c>Identity:AccessTokenLifetime</c>), so a remembered token is accepted exactly when OpenIddict would accept it.
/// </summary>
public sealed class RememberedTokens(TimeProvider time)
{
    /// <summary>Longest a validation is remembered, however long the token lives: bounds a signing key's retirement.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>Most tokens remembered at once; beyond it, expired ones are dropped and new ones validated every time.</summary>
    public const int MaxCount = 10_000;

    private readonly ExpiringEntries<string, ClaimsPrincipal> _tokens = new(MaxCount, time, StringComparer.Ordinal);

    public int Count => _tokens.Count;

    public bool TryGet(string token, out ClaimsPrincipal principal) => _tokens.TryGet(token, out principal);

    public void Remember(string token, ClaimsPrincipal principal)
    {
        var now = time.GetUtcNow();
        if (principal.GetExpirationDate() is { } expires)
        {
            _tokens.Keep(token, principal, expires < now + MaxAge ? expires : now + MaxAge);
        }
    }
}

/// <summary>
/// The services' authentication scheme: a bearer token from <see cref="RememberedTokens"/>, or else OpenIddict's
/// validation (whose verdict on a new token is remembered when it succeeds). Challenges and refusals are OpenIddict's.
/// </summary>
/// <remarks>
/// OpenIddict's validation handler starts its transaction when ASP.NET Core offers it the request, which the
/// authentication middleware does on every call (<see cref="IAuthenticationRequestHandler"/>). Its validation scheme is
/// kept out of that offer (<see cref="BearerSchemes"/>): this handler starts OpenIddict's transaction only when it needs
/// OpenIddict, for a token it does not remember, a challenge or a refusal. A remembered token's call never enters OpenIddict.
/// </remarks>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, RememberedTokens remembered,
    IAuthenticationHandlerProvider handlers)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Name = "CreditBank.Bearer";

    private const string OpenIddictScheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken();
        if (token is not null && remembered.TryGet(token, out var known))
        {
            return AuthenticateResult.Success(new AuthenticationTicket(known, Name));
        }

        if (await OfferToOpenIddictAsync())
        {
            return AuthenticateResult.NoResult();
        }

        var result = await Context.AuthenticateAsync(OpenIddictScheme);
        if (!result.Succeeded)
        {
            return result;
        }

        if (token is not null)
        {
            remembered.Remember(token, result.Principal);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(result.Principal, Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // Started: OpenIddict already answered the request (OfferToOpenIddictAsync).
        if (!await OfferToOpenIddictAsync() && !Response.HasStarted)
        {
            await Context.ChallengeAsync(OpenIddictScheme, properties);
        }
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (!await OfferToOpenIddictAsync() && !Response.HasStarted)
        {
            await Context.ForbidAsync(OpenIddictScheme, properties);
        }
    }

    /// <summary>
    /// What the authentication middleware would have done for OpenIddict's scheme: offers it the request, once per request
    /// (it attaches its transaction). True when OpenIddict answered the request itself.
    /// </summary>
    private async Task<bool> OfferToOpenIddictAsync()
    {
        if (Context.Features.Get<OpenIddictValidationAspNetCoreFeature>()?.Transaction is not null)
        {
            return false;
        }

        return await handlers.GetHandlerAsync(Context, OpenIddictScheme) is IAuthenticationRequestHandler openIddict
            && await openIddict.HandleRequestAsync();
    }

    private string? BearerToken()
    {
        var header = Request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = value.AsSpan(7).Trim();
        return token.IsEmpty ? null : token.ToString();
    }
}

/// <summary>
/// The schemes ASP.NET Core knows, except that OpenIddict's validation scheme is not offered every request:
/// <see cref="BearerTokenHandler"/> offers it when it needs it. Other request handlers (the identity service's
/// OpenIddict server) are offered every request as before.
/// </summary>
internal sealed class BearerSchemes(IOptions<Microsoft.AspNetCore.Authentication.AuthenticationOptions> options) : AuthenticationSchemeProvider(options)
{
    // The base class keeps one list until a scheme is added or removed; the filtered list is kept beside it.
    private Offer _last = new([], []);

    public override async Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync()
    {
        var all = await base.GetRequestHandlerSchemesAsync();
        var last = _last;
        if (ReferenceEquals(last.All, all))
        {
            return last.Offered;
        }

        _last = last = new Offer(all, all.Where(scheme => scheme.Name != OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme).ToArray());
        return last.Offered;
    }

    private sealed record Offer(IEnumerable<AuthenticationScheme> All, AuthenticationScheme[] Offered);
}
