using CreditBank.Grpc.Security;

namespace CreditBank.Identity.Domain;

/// <summary>Someone who signs in: a learner (学习者), a reviewer at a workstation (工作站审核员) or a bank administrator.</summary>
public sealed class Person
{
    public Guid Id { get; init; }

    /// <summary>What they type to sign in.</summary>
    public required string UserName { get; init; }

    /// <summary>ASP.NET Core Identity's PBKDF2 hash; the password itself is never stored.</summary>
    public required string PasswordHash { get; set; }

    public required string DisplayName { get; set; }

    /// <summary><see cref="Roles.Learner"/>, <see cref="Roles.Reviewer"/> or <see cref="Roles.Admin"/>.</summary>
    public required string Role { get; init; }

    /// <summary>A reviewer's workstation code, e.g. <c>WS-LIANGPING</c> (梁平工作站).</summary>
    public string? Workstation { get; set; }

    /// <summary>A learner's verified document (实名认证), as the bank-wide keyed hash: it binds the login to one account.</summary>
    public string? DocumentHash { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Scopes a person of this role may be granted; a token gets the ones requested among these.</summary>
    public IReadOnlyList<string> AllowedScopes => Role switch
    {
        Roles.Learner => [Scopes.AccountsRead, Scopes.ConversionsApply],
        Roles.Reviewer => [Scopes.AccountsRead, Scopes.OutcomesReview],
        Roles.Admin => [Scopes.Admin, Scopes.AccountsRead, Scopes.OutcomesReview],
        _ => [],
    };
}
