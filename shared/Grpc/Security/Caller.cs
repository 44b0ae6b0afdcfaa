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
    /// <summary>How decisions and ledger entries name who acted, e.g. <c>institution:4150012608</c>, <c>reviewer:3f2…</c>.</summary>
    public string Actor => Role switch
    {
        Roles.Institution => $"institution:{InstitutionCode}",
        Roles.Partner => $"partner:{PartnerCode}",
        _ => $"{Role}:{Subject}",
    };

    public bool Is(string role) => Role == role;

    public bool Has(string scope) => Scopes.Contains(scope);

    public static Caller From(ClaimsPrincipal principal) => new(
        principal.GetClaim(OpenIddictConstants.Claims.Subject) ?? string.Empty,
        principal.GetClaim(OpenIddictConstants.Claims.Role) ?? string.Empty,
        principal.GetClaim(BankClaims.InstitutionCode),
        principal.GetClaim(BankClaims.PartnerCode),
        principal.GetClaim(BankClaims.Workstation),
        principal.GetClaim(BankClaims.DocumentHash),
        principal.GetScopes().ToHashSet(StringComparer.Ordinal));

    public static Caller From(ServerCallContext context) => From(context.GetHttpContext().User);
}
