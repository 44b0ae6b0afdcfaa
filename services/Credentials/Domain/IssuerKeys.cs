using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CreditBank.Credentials.Domain;

/// <summary>One of the bank's credential keys (EC P-256, ES256): the active one signs, retired ones only verify.</summary>
public sealed class IssuerKey
{
    private readonly ECParameters _parameters;

    // An ECDsa is not documented as safe to share between threads; each thread imports the key once.
    private readonly ThreadLocal<ECDsa> _perThread;

    private IssuerKey(ECParameters parameters, string keyId, string thumbprint)
    {
        _parameters = parameters;
        KeyId = keyId;
        Thumbprint = thumbprint;
        CanSign = parameters.D is not null;
        _perThread = new ThreadLocal<ECDsa>(() => ECDsa.Create(_parameters));
    }

    /// <summary>The <c>kid</c> of its signatures: a URL that answers with this key as a JWK.</summary>
    public string KeyId { get; }

    /// <summary>RFC 7638 JWK thumbprint (SHA-256, base64url): the last segment of <see cref="KeyId"/>.</summary>
    public string Thumbprint { get; }

    public bool CanSign { get; }

    /// <summary>A key from its parameters; <paramref name="keyUrl"/> turns its thumbprint into its key id.</summary>
    public static IssuerKey From(ECParameters parameters, Func<string, string> keyUrl, bool publicOnly)
    {
        if (parameters.Curve.Oid?.Value != "1.2.840.10045.3.1.7" && parameters.Curve.Oid?.FriendlyName is not ("nistP256" or "ECDSA_P256"))
        {
            throw new InvalidOperationException("Credential keys are EC P-256 (ES256).");
        }

        if (publicOnly)
        {
            parameters = new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = parameters.Q };
        }

        var thumbprint = JwkThumbprint(parameters);
        return new IssuerKey(parameters, keyUrl(thumbprint), thumbprint);
    }

    public byte[] Sign(ReadOnlySpan<byte> data) => CanSign
        ? _perThread.Value!.SignData(data, HashAlgorithmName.SHA256)
        : throw new InvalidOperationException("A retired key does not sign.");

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 && _perThread.Value!.VerifyData(data, signature, HashAlgorithmName.SHA256);

    /// <summary>The public key as a JWK (never with <c>d</c>), naming the issuer it signs for.</summary>
    public JsonObject PublicJwk(string issuerId) => new()
    {
        ["kty"] = "EC",
        ["crv"] = "P-256",
        ["x"] = Base64Url.EncodeToString(_parameters.Q.X),
        ["y"] = Base64Url.EncodeToString(_parameters.Q.Y),
        ["kid"] = KeyId,
        ["alg"] = "ES256",
        ["use"] = "sig",
        ["iss"] = issuerId,
    };

    /// <summary>RFC 7638: SHA-256 over the required members in lexicographic order, without spaces.</summary>
    private static string JwkThumbprint(ECParameters parameters)
    {
        var json = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64Url.EncodeToString(parameters.Q.X)}\",\"y\":\"{Base64Url.EncodeToString(parameters.Q.Y)}\"}}";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }
}

/// <summary>The keys the bank signs credentials with: one active, any number retired, all published.</summary>
public sealed class IssuerKeyRing
{
    private readonly Dictionary<string, IssuerKey> _byId;

    public IssuerKeyRing(IssuerKey active, IEnumerable<IssuerKey> retired)
    {
        if (!active.CanSign)
        {
            throw new InvalidOperationException("The active credential key must be a private key.");
        }

        Active = active;
        All = [active, .. retired.Where(k => k.KeyId != active.KeyId).DistinctBy(k => k.KeyId)];
        _byId = All.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
    }

    public IssuerKey Active { get; }

    /// <summary>Every published key, the active one first.</summary>
    public IReadOnlyList<IssuerKey> All { get; }

    public IssuerKey? Find(string keyId) => _byId.GetValueOrDefault(keyId);

    public IssuerKey? FindByThumbprint(string thumbprint) => All.FirstOrDefault(k => k.Thumbprint == thumbprint);

    /// <summary>The JWK Set (<c>/.well-known/jwks.json</c>).</summary>
    public JsonObject JwkSet(string issuerId) => new() { ["keys"] = new JsonArray([.. All.Select(k => (JsonNode)k.PublicJwk(issuerId))]) };
}
