using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace CreditBank.Credentials.Domain;

/// <summary>Compact JWS (RFC 7515) with ES256: VC-JWTs, and detached signatures over canonical JSON (Appendix F).</summary>
public static class Jws
{
    /// <summary>The only algorithm the bank signs with and accepts; <c>none</c> and every other are refused.</summary>
    public const string Algorithm = "ES256";

    /// <summary><c>header.payload.signature</c> over <paramref name="payload"/> (UTF-8 JSON), with <c>typ</c> JWT and the key's <c>kid</c>.</summary>
    public static string Sign(ReadOnlySpan<byte> payload, IssuerKey key)
    {
        using var jws = SignPooled(payload, key);
        return jws.ToString();
    }

    /// <summary>
    /// <see cref="Sign"/>'s compact JWS as ASCII bytes in one pooled buffer, written once: a transcript's payload is
    /// hundreds of kilobytes, and each string or copy of it in between would be another pass over them.
    /// </summary>
    public static PooledJws SignPooled(ReadOnlySpan<byte> payload, IssuerKey key)
    {
        var header = Encoding.ASCII.GetBytes(Header(key));
        var signed = header.Length + 1 + Base64Url.GetEncodedLength(payload.Length);
        var length = signed + 1 + Base64Url.GetEncodedLength(SignatureLength);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        header.CopyTo(buffer, 0);
        buffer[header.Length] = (byte)'.';
        Base64Url.EncodeToUtf8(payload, buffer.AsSpan(header.Length + 1));
        var signature = key.Sign(buffer.AsSpan(0, signed));
        buffer[signed] = (byte)'.';
        Base64Url.EncodeToUtf8(signature, buffer.AsSpan(signed + 1));
        return new PooledJws(buffer, length);
    }

    /// <summary>An ES256 signature: r and s, 32 bytes each.</summary>
    private const int SignatureLength = 64;

    /// <summary>The protected header, base64url: the algorithm, the key's URL, and <c>typ</c> JWT as OB 3.0 has it.</summary>
    private static string Header(IssuerKey key) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = Algorithm, ["kid"] = key.KeyId, ["typ"] = "JWT" }));

    /// <summary>RFC 7515 Appendix F: the JWS of <paramref name="payload"/> with the payload left out (<c>header..signature</c>).</summary>
    public static string SignDetached(ReadOnlySpan<byte> payload, IssuerKey key)
    {
        using var jws = SignPooled(payload, key);
        return jws.Detached();
    }

    /// <summary>Puts a detached payload back between the dots.</summary>
    public static string Attach(string detached, ReadOnlySpan<byte> payload)
    {
        var parts = detached.Split('.');
        return parts.Length == 3 && parts[1].Length == 0
            ? $"{parts[0]}.{Base64Url.EncodeToString(payload)}.{parts[2]}"
            : throw new FormatException("Not a detached JWS (header..signature).");
    }

    /// <summary>A compact JWS split and its signature checked against the key ring; the payload's bytes when it holds.</summary>
    public static JwsCheck Verify(string compact, IssuerKeyRing keys)
    {
        var parts = compact.Trim().Split('.');
        if (parts.Length != 3)
        {
            return JwsCheck.Failed("MALFORMED", "A compact JWS has three parts separated by dots.");
        }

        JsonElement header;
        byte[] payload;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
            payload = Base64Url.DecodeFromChars(parts[1]);
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return JwsCheck.Failed("MALFORMED", "The header, payload or signature is not base64url JSON.");
        }

        var alg = header.ValueKind == JsonValueKind.Object && header.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        if (alg != Algorithm)
        {
            return JwsCheck.Failed("ALGORITHM_NOT_ALLOWED", $"The header's alg is {alg ?? "missing"}; the bank signs with {Algorithm} only.");
        }

        if (header.TryGetProperty("jwk", out _) || header.TryGetProperty("jku", out _) || header.TryGetProperty("crit", out _))
        {
            return JwsCheck.Failed("UNSUPPORTED_HEADER", "Keys are taken from the bank's JWK Set only (no jwk, jku or crit in the header).");
        }

        var kid = header.TryGetProperty("kid", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : string.Empty;
        var key = keys.Find(kid);
        if (key is null)
        {
            return JwsCheck.Failed("UNKNOWN_KEY", $"The key {kid} is not in the bank's JWK Set.");
        }

        var signingInput = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
        return key.Verify(signingInput, signature)
            ? new JwsCheck(true, payload, key, null, null)
            : JwsCheck.Failed("SIGNATURE_INVALID", "The signature does not match the header and payload.");
    }
}

/// <summary>What <see cref="Jws.Verify"/> found: the payload and key when the signature holds, else a reason.</summary>
public sealed record JwsCheck(bool Valid, byte[]? Payload, IssuerKey? Key, string? Code, string? Message)
{
    public static JwsCheck Failed(string code, string message) => new(false, null, null, code, message);
}

/// <summary>
/// A compact JWS as ASCII bytes in a buffer rented from the shared pool, returned to it when disposed: a transcript's
/// VC-JWT answered as a file is written from here, without a string of it.
/// </summary>
public sealed class PooledJws : IDisposable
{
    private byte[]? _buffer;

    internal PooledJws(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(PooledJws))).AsMemory(0, Length);

    /// <summary>The compact JWS as a string.</summary>
    public override string ToString() => Encoding.ASCII.GetString(Memory.Span);

    /// <summary>The JWS with its payload left out (<c>header..signature</c>, RFC 7515 Appendix F).</summary>
    public string Detached()
    {
        var jws = Memory.Span;
        return string.Concat(Encoding.ASCII.GetString(jws[..(jws.IndexOf((byte)'.') + 1)]), Encoding.ASCII.GetString(jws[jws.LastIndexOf((byte)'.')..]));
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
