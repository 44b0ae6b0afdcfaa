using System.Runtime.CompilerServices;
using System.Security.Claims;
using Grpc.Core;
using OpenIddict.Abstractions;

namespace CreditBank.Grpc.Security;

/// <summary>The authenticated principal behind a call, in the bank's terms.</summary>
public sealed record Caller(
    string Subject,
    string Role,
    string? InstitutionCode,
    string? PartnerCode,
    string? Workstation,
    string? DocumentHash,
    IReadOnlySet<string> Scopes)
{
    private static readonly ConditionalWeakTable<ClaimsPrincipal, Caller> Read = new();

    /// <summary>How decisions and ledger entries name who acted, e.g. <c>institution:4150012608</c>, <c>reviewer:3f2…</c>.</summary>
    public string Actor => Role switch
    {
        Roles.Institution => $"institution:{InstitutionCode}",
        Roles.Partner => $"partner:{PartnerCode}",
        _ => $"{Role}:{Subject}",
    };

    public bool Is(string role) => Role == role;

    public bool Has(string scope) => Scopes.Contains(scope);

    /// <summary>
    /// The caller behind <paramref name="principal"/>, read from its claims once per principal: a remembered token's
    /// principal (<see cref="RememberedTokens"/>) is the same object on every call, so its claims are not searched again.
    /// </summary>
    /// <remarks>Principals are not changed after authentication here (no claims transformation), so the first reading holds.</remarks>
    public static Caller Of(ClaimsPrincipal principal) => Read.GetValue(principal, From);

    public static Caller From(ClaimsPrincipal principal) => new(
        principal.GetClaim(OpenIddictConstants.Claims.Subject) ?? string.Empty,
        principal.GetClaim(OpenIddictConstants.Claims.Role) ?? string.Empty,
        principal.GetClaim(BankClaims.InstitutionCode),
        principal.GetClaim(BankClaims.PartnerCode),
        principal.GetClaim(BankClaims.Workstation),
        principal.GetClaim(BankClaims.DocumentHash),
        principal.GetScopes().ToHashSet(StringComparer.Ordinal));

    public static Caller From(ServerCallContext context) => Of(context.GetHttpContext().User);
}
