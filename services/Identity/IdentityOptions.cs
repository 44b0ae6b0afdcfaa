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

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);
}
