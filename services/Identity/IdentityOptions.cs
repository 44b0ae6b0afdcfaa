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
    /// Where the portal is served, e.g. <c>https://portal.creditbank.example/</c>: the demo portal client's redirect URIs
    /// (<c>{portal}</c> in <c>Data/Seed/demo-clients.json</c>). Defaults to <see cref="Issuer"/> (the standalone host
    /// serves both).
    /// </summary>
    public string PortalUrl { get; set; } = string.Empty;

    /// <summary>
    /// How long an access token lives. Also the longest a disabled client's tokens keep working: services validate
    /// tokens by their signature and expiry (docs/security.md, "Disabling a client").
    /// </summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

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

/// <summary>A learner the configuration vouches for: never the document number in clear, only its keyed hash.</summary>
public sealed class ListedLearner
{
    public int DocumentType { get; set; } = 1;

    public string DocumentHash { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;
}
