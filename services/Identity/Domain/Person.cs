using CreditBank.Grpc.Security;

namespace CreditBank.Identity.Domain;

/// <summary>
/// Someone who signs in: a learner (学习者), a reviewer at a workstation (工作站审核员), a member of an institution's staff
/// (院校用户, who acts for the institution as its client does) or a bank administrator.
/// </summary>
public sealed class Person
{
    public Guid Id { get; init; }

    /// <summary>What they type to sign in.</summary>
    public required string UserName { get; init; }

    /// <summary>ASP.NET Core Identity's PBKDF2 hash; the password itself is never stored.</summary>
    public required string PasswordHash { get; set; }

    public required string DisplayName { get; set; }

    /// <summary><see cref="Roles.Learner"/>, <see cref="Roles.Reviewer"/>, <see cref="Roles.Institution"/> or <see cref="Roles.Admin"/>.</summary>
    public required string Role { get; init; }

    /// <summary>A reviewer's workstation code, e.g. <c>WS-LIANGPING</c> (梁平工作站).</summary>
    public string? Workstation { get; set; }

    /// <summary>A staff member's institution (its code, e.g. <c>4150012608</c>): they act for it, as its client does.</summary>
    public string? InstitutionCode { get; set; }

    /// <summary>A learner's verified document (实名认证), as the bank-wide keyed hash: it binds the login to one account.</summary>
    public string? DocumentHash { get; set; }

    /// <summary>
    /// A self-registered learner's document while no verifier has confirmed it: sealed (AES-GCM), so that verification
    /// can be tried again at their next sign-in; cleared once verified.
    /// </summary>
    public string? PendingDocumentSealed { get; set; }

    public int? PendingDocumentType { get; set; }

    /// <summary>How a self-registered learner can be reached (phone or e-mail), as they gave it.</summary>
    public string? Contact { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Wrong passwords in a row since the last sign-in or lockout.</summary>
    public int FailedSignIns { get; set; }

    /// <summary>No sign-in is accepted before this time, right password or not.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>
    /// The password was set by an administrator (a new reviewer's or administrator's first password, or a reset): the
    /// person chooses their own at the next sign-in before anything else, so that no one else knows it.
    /// </summary>
    public bool PasswordChangeRequired { get; set; }

    /// <summary>Sign-in sessions that began before this time are over (an administrator revoked them).</summary>
    public DateTimeOffset? SessionsRevokedAt { get; set; }

    /// <summary>Scopes a person of this role may be granted; a token gets the ones requested among these.</summary>
    public IReadOnlyList<string> AllowedScopes => Role switch
    {
        Roles.Learner => [Scopes.AccountsRead, Scopes.ConversionsApply, Scopes.OutcomesApply],
        Roles.Reviewer => [Scopes.AccountsRead, Scopes.OutcomesReview],
        Roles.Institution => [Scopes.OutcomesSubmit, Scopes.ConversionsDecide],
        Roles.Admin => [Scopes.Admin, Scopes.AccountsRead, Scopes.OutcomesReview],
        _ => [],
    };

    public bool IsLockedOut(DateTimeOffset now) => LockedUntil > now;

    /// <summary>A wrong password: the <paramref name="maxFailures"/>-th in a row locks the person out for <paramref name="lockout"/>.</summary>
    public void FailedSignIn(DateTimeOffset now, int maxFailures, TimeSpan lockout)
    {
        FailedSignIns++;
        if (FailedSignIns >= maxFailures)
        {
            LockedUntil = now + lockout;
            FailedSignIns = 0;
        }
    }

    public void SignedIn() => FailedSignIns = 0;

    /// <summary>
    /// An administrator set the password: any lockout ends with it, and the person must replace it at the next sign-in
    /// unless they are that administrator.
    /// </summary>
    public void PasswordReset(string hash, bool byThemselves)
    {
        PasswordHash = hash;
        PasswordChangeRequired = !byThemselves;
        FailedSignIns = 0;
        LockedUntil = null;
    }

    /// <summary>The person chose their own password (after an administrator's).</summary>
    public void PasswordChanged(string hash)
    {
        PasswordHash = hash;
        PasswordChangeRequired = false;
    }

    /// <summary>The learner's document was verified: the login now reads their account.</summary>
    public void Verified(string documentHash)
    {
        DocumentHash = documentHash;
        PendingDocumentSealed = null;
        PendingDocumentType = null;
    }

    /// <summary>What an audit entry shows of a person: never the password hash or a document.</summary>
    public object Audited() => new { UserName, DisplayName, Role, Workstation, InstitutionCode, Verified = DocumentHash is not null, LockedUntil, SessionsRevokedAt, PasswordChangeRequired };
}
