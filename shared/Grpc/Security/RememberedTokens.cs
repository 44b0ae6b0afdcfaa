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
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, RememberedTokens remembered)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Name = "CreditBank.Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken();
        if (token is not null && remembered.TryGet(token, out var known))
        {
            return AuthenticateResult.Success(new AuthenticationTicket(known, Name));
        }

        var result = await Context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
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
