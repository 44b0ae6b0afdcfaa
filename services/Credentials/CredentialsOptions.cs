namespace CreditBank.Credentials;

/// <summary>Bound from <c>Credentials</c>.</summary>
public sealed class CredentialsOptions
{
    public const string Section = "Credentials";

    /// <summary>The smallest status list the bank publishes: 16 KB of bits, so that one index tells a verifier little (herd privacy).</summary>
    public const int MinStatusListSize = 131_072;

    /// <summary>
    /// Where verifiers reach this service's public URLs (JWK Set, status lists, verification), e.g.
    /// <c>https://credentials.creditbank.example</c>. The issuer id, key ids and status-list URLs inside every credential
    /// are built from it, so it never changes once credentials are out.
    /// </summary>
    public string PublicBaseUrl { get; set; } = string.Empty;

    /// <summary>The issuer's name in every credential.</summary>
    public string IssuerName { get; set; } = "CreditBank 学分银行";

    /// <summary>The EC P-256 private key (PEM) that signs from now on; from a secret store in production.</summary>
    public string SigningKeyPem { get; set; } = string.Empty;

    /// <summary>
    /// Keys that signed before a rotation (PEM, public or private: only the public part is used). They stay in the
    /// JWK Set so that what they signed still verifies; never remove one while its credentials are in use.
    /// </summary>
    public List<string> RetiredKeyPems { get; set; } = [];

    /// <summary>Create a signing key once under <c>DataFolder/credentials-keys</c> when none is configured (embedded default and tests only).</summary>
    public bool DevelopmentKeys { get; set; }

    /// <summary>Entries per status list (at least <see cref="MinStatusListSize"/>).</summary>
    public int StatusListSize { get; set; } = MinStatusListSize;

    /// <summary>How long verifiers and caches may keep a status list (<c>Cache-Control: max-age</c>, and the list's <c>ttl</c>).</summary>
    public TimeSpan StatusListMaxAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a replica serves a status list before it looks for a newer version in the database.</summary>
    public TimeSpan StatusListRefresh { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many bytes of kept credentials a replica keeps in memory (<c>KeptCredentialCache</c>).</summary>
    public long KeptCredentialCacheBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The issuer id: a URL of this service that answers with the issuer's profile.</summary>
    public string IssuerId => $"{Base}/credentials/issuer";

    /// <summary>The JWK Set every credential's key is in.</summary>
    public string JwksUrl => $"{Base}/.well-known/jwks.json";

    public string KeyUrl(string thumbprint) => $"{Base}/credentials/keys/{thumbprint}";

    public string StatusListUrl(int listId) => $"{Base}/credentials/status/{listId}";

    public string VerificationUrl(Guid credentialId) => $"{Base}/v1/credentials/{credentialId}:verify";

    private string Base => PublicBaseUrl.TrimEnd('/');
}
