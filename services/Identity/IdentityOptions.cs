namespace CreditBank.Identity;

/// <summary>Bound from <c>Identity</c>.</summary>
public sealed class IdentityOptions
{
    public const string Section = "Identity";

    /// <summary>
    /// The issuer every token names, e.g. <c>https://id.creditbank.example/</c>. Fixed, because one host may be reached on
    /// several ports (REST and gRPC) and every one of them must accept the same tokens.
    /// </summary>
    public string Issuer { get; set; } = string.Empty;

    /// <summary>RSA private key (PEM) that signs tokens; from a secret store in production.</summary>
    public string SigningKeyPem { get; set; } = string.Empty;

    /// <summary>RSA private key (PEM) that encrypts identity tokens and codes.</summary>
    public string EncryptionKeyPem { get; set; } = string.Empty;

    /// <summary>Create keys in the data folder when none are configured (embedded default and tests only).</summary>
    public bool DevelopmentKeys { get; set; }

    /// <summary>Seed the demo clients and people of <c>Data/Seed/demo-*.json</c> (embedded default and tests only).</summary>
    public bool SeedDemo { get; set; }

    /// <summary>Allow plain HTTP (no TLS) on the OIDC endpoints: development and tests only.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Sign-in attempts and token requests allowed per client address per minute.</summary>
    public int AttemptsPerMinute { get; set; } = 20;

    /// <summary>
    /// Where the portal is served, e.g. <c>https://portal.creditbank.example/</c>. When set (or in the demo), the portal's
    /// sign-in client is registered at start with its redirect URIs <c>signin-callback</c> and <c>signout-callback</c>
    /// under this address (<c>Data/PortalClient.cs</c>). The demo defaults it to <see cref="Issuer"/> (the standalone
    /// host serves both).
    /// </summary>
    public string PortalUrl { get; set; } = string.Empty;

    /// <summary><see cref="PortalUrl"/>, else <see cref="Issuer"/>.</summary>
    public string PortalOrIssuer => string.IsNullOrWhiteSpace(PortalUrl) ? Issuer : PortalUrl;

    /// <summary>The first administrator of a bank without demo data (docs/operations.md, "First start of a bank without demo data").</summary>
    public BootstrapOptions Bootstrap { get; set; } = new();

    /// <summary>
    /// How long an access token lives. Also the longest a disabled client's tokens keep working: services validate
    /// tokens by their signature and expiry (docs/security.md, "Disabling a client").
    /// </summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long a person stays signed in at the identity service without visiting it (its own cookie, sliding): within it
    /// a client whose session ended (the portal's) signs them back in without the password.
    /// </summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Wrong passwords in a row that lock a person out.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a lockout lasts (an administrator's password reset ends it sooner).</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Learners the default verifier (<see cref="ListedLearners"/>) knows to be who they say, when no other verifier is
    /// composed: each a document type number, the keyed hash of the document number, and the name.
    /// </summary>
    public List<ListedLearner> VerifiedLearners { get; set; } = [];
}

/// <summary>Bound from <c>Identity:Bootstrap</c>: who becomes the bank's administrator when it has none.</summary>
public sealed class BootstrapOptions
{
    /// <summary>The administrator's user name; nothing is bootstrapped while it is empty.</summary>
    public string AdministratorUserName { get; set; } = string.Empty;

    /// <summary>Their first password, from a secret store (a Kubernetes Secret): never logged, never audited.</summary>
    public string AdministratorPassword { get; set; } = string.Empty;

    /// <summary>The name shown for them; their user name when empty.</summary>
    public string AdministratorDisplayName { get; set; } = string.Empty;

    public bool IsSet => AdministratorUserName.Length > 0 || AdministratorPassword.Length > 0;
}

/// <summary>A learner the configuration vouches for: never the document number in clear, only its keyed hash.</summary>
public sealed class ListedLearner
{
    public int DocumentType { get; set; } = 1;

    public string DocumentHash { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;
}
