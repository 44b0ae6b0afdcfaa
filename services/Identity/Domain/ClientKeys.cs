using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace CreditBank.Identity.Domain;

/// <summary>
/// The public keys an institution's client signs its token requests with (private_key_jwt, RFC 7523): what a set must be
/// to be accepted, and how a key is named in answers and the audit log (its RFC 7638 thumbprint, never the key itself).
/// </summary>
public static class ClientKeys
{
    public const int MaxKeys = 5;

    private static readonly string[] Curves = [JsonWebKeyECTypes.P256, JsonWebKeyECTypes.P384, JsonWebKeyECTypes.P521];

    /// <summary>The set in <paramref name="json"/>, or what is wrong with it.</summary>
    public static (JsonWebKeySet? Set, string? Problem) Parse(string json)
    {
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json);
        }
        catch (Exception e) when (e is ArgumentException or JsonException)
        {
            return (null, "The key set is not a JSON Web Key Set ({\"keys\":[…]}).");
        }

        if (set.Keys.Count is 0 or > MaxKeys)
        {
            return (null, $"A key set holds 1 to {MaxKeys} keys.");
        }

        foreach (var key in set.Keys)
        {
            if (key.HasPrivateKey || key.D is not null)
            {
                return (null, "A key set sent to the bank holds public keys only: keep the private part.");
            }

            var usable = key.Kty switch
            {
                JsonWebAlgorithmsKeyTypes.RSA => key.N is { Length: > 0 } && key.E is { Length: > 0 } && Base64UrlEncoder.DecodeBytes(key.N).Length * 8 >= 2048,
                JsonWebAlgorithmsKeyTypes.EllipticCurve => Curves.Contains(key.Crv) && key.X is { Length: > 0 } && key.Y is { Length: > 0 },
                _ => false,
            };
            if (!usable)
            {
                return (null, "Each key is RSA of 2048 bits or more, or EC on P-256, P-384 or P-521, with its public parameters.");
            }
        }

        return (set, null);
    }

    /// <summary>RFC 7638's SHA-256 thumbprint, base64url.</summary>
    public static string Thumbprint(JsonWebKey key) => Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
}
