namespace CreditBank.Portal;

/// <summary>Bound from <c>Portal</c>. In the standalone host every address defaults to the host's own.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>The identity service (OpenID Connect provider), e.g. <c>https://id.creditbank.example/</c>; defaults to <c>Identity:Issuer</c>.</summary>
    public string Authority { get; set; } = string.Empty;

    /// <summary>The portal's client at the identity service: a public client, authorization code + PKCE.</summary>
    public string ClientId { get; set; } = "portal";

    /// <summary>gRPC addresses of the services; each defaults to this host's own gRPC endpoint (<c>Kestrel:Endpoints:Grpc:Url</c>).</summary>
    public string Recognition { get; set; } = string.Empty;

    /// <summary>The identity service's gRPC address (administration, its audit entries): not its issuer URL, which is <see cref="Authority"/>.</summary>
    public string Identity { get; set; } = string.Empty;

    public string Accounts { get; set; } = string.Empty;

    public string Conversion { get; set; } = string.Empty;

    /// <summary>The credentials service (a learner's verifiable transcript and outcome credentials).</summary>
    public string Credentials { get; set; } = string.Empty;

    /// <summary>Plain HTTP to the identity service (development and tests only).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>How long a signed-in session lasts without a visit; the access token's own end comes first if sooner.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(1);
}
