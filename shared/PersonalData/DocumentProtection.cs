using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CreditBank.PersonalData;

/// <summary>Keys for protecting document numbers; from configuration section <c>DocumentProtection</c>.</summary>
public sealed class DocumentProtectionOptions
{
    public const string Section = "DocumentProtection";

    /// <summary>Base64, at least 32 bytes: the HMAC key that makes the matching hash. Every service shares it.</summary>
    public string HashKey { get; set; } = string.Empty;

    /// <summary>Base64, exactly 32 bytes: the AES-256-GCM key for sealing. Only services allowed to read back hold it.</summary>
    public string SealKey { get; set; } = string.Empty;

    /// <summary>Names the seal key, stored beside each ciphertext so that keys can be rotated.</summary>
    public string SealKeyId { get; set; } = "k1";
}

/// <summary>A document number as it may be stored: matchable, showable, and readable back only with the key.</summary>
public sealed record ProtectedDocument(DocumentType Type, string Hash, string Masked, string Sealed);

/// <summary>Hashes (for matching), masks (for showing) and seals (for lawful read-back) document numbers.</summary>
/// <remarks>One per service (a singleton); disposing it frees the native cipher contexts its threads keyed.</remarks>
public sealed class DocumentProtector : IDisposable
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _hashKey;
    private readonly byte[] _sealKey;
    private readonly string _sealKeyId;

    /// <summary>The key id as the seal's associated data: bound to every sealed number, encoded once.</summary>
    private readonly byte[] _sealKeyIdBytes;

    /// <summary>
    /// One <see cref="AesGcm"/> per thread, keyed once: creating one per seal (a native cipher context and its key
    /// schedule) cost a sixth of a document's protection. An <see cref="AesGcm"/> is not safe to share between threads.
    /// </summary>
    private readonly ThreadLocal<AesGcm> _sealers;

    public DocumentProtector(IOptions<DocumentProtectionOptions> options)
    {
        var o = options.Value;
        _hashKey = DecodeKey(o.HashKey, nameof(o.HashKey), minimum: 32);
        _sealKey = DecodeKey(o.SealKey, nameof(o.SealKey), minimum: 32);
        if (_sealKey.Length != 32)
        {
            throw new OptionsValidationException(DocumentProtectionOptions.Section, typeof(DocumentProtectionOptions),
                ["DocumentProtection:SealKey must be exactly 32 bytes (base64)."]);
        }

        _sealKeyId = o.SealKeyId;
        _sealKeyIdBytes = Encoding.UTF8.GetBytes(_sealKeyId);
        _sealers = new ThreadLocal<AesGcm>(() => new AesGcm(_sealKey, TagSize), trackAllValues: true);
    }

    public void Dispose()
    {
        foreach (var sealer in _sealers.Values)
        {
            sealer.Dispose();
        }

        _sealers.Dispose();
    }

    public ProtectedDocument Protect(IdentityDocument document) =>
        new(document.Type, Hash(document), Masking.Mask(document.Number), Seal(document));

    /// <summary>The matching key: HMAC-SHA256 over "type:number", base64.</summary>
    public string Hash(IdentityDocument document)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes($"{(int)document.Type}:{document.Number}"), mac);
        return Convert.ToBase64String(mac);
    }

    /// <summary>"keyId.base64(nonce|tag|ciphertext)".</summary>
    public string Seal(IdentityDocument document)
    {
        var plain = Encoding.UTF8.GetBytes(document.Number);
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        _sealers.Value!.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize),
            _sealKeyIdBytes);
        return $"{_sealKeyId}.{Convert.ToBase64String(output)}";
    }

    /// <summary>Reads a sealed number back. Only for lawful, audited read-back; never for display.</summary>
    public string Unseal(string sealedNumber)
    {
        var dot = sealedNumber.IndexOf('.');
        var keyId = sealedNumber[..dot];
        if (keyId != _sealKeyId)
        {
            throw new CryptographicException($"Sealed with key '{keyId}', which this service does not hold.");
        }

        var input = Convert.FromBase64String(sealedNumber[(dot + 1)..]);
        var plain = new byte[input.Length - NonceSize - TagSize];
        _sealers.Value!.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize),
            plain, _sealKeyIdBytes);
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] DecodeKey(string value, string name, int minimum)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            key = [];
        }

        return key.Length >= minimum
            ? key
            : throw new OptionsValidationException(DocumentProtectionOptions.Section, typeof(DocumentProtectionOptions),
                [$"DocumentProtection:{name} must be base64 of at least {minimum} random bytes (e.g. `openssl rand -base64 32`)."]);
    }
}
