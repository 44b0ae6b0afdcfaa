using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace CreditBank.Identity.Data;

/// <summary>
/// The keys tokens are signed (and identity tokens encrypted) with. Production: PEM from configuration
/// (<c>Identity:SigningKeyPem</c>, <c>Identity:EncryptionKeyPem</c>, from a secret store). Embedded default: created once
/// in the data folder, so tokens survive a restart.
/// </summary>
internal static class SigningKeys
{
    public static (SecurityKey Signing, SecurityKey Encryption) Load(IdentityOptions options, string dataFolder)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKeyPem) && !string.IsNullOrWhiteSpace(options.EncryptionKeyPem))
        {
            return (FromPem(options.SigningKeyPem, "signing"), FromPem(options.EncryptionKeyPem, "encryption"));
        }

        if (!options.DevelopmentKeys)
        {
            throw new InvalidOperationException(
                "Identity:SigningKeyPem and Identity:EncryptionKeyPem are required (RSA private keys, PEM). " +
                "Set Identity:DevelopmentKeys=true only for the embedded default.");
        }

        var folder = Path.Combine(dataFolder, "identity-keys");
        Directory.CreateDirectory(folder);
        return (FromFile(Path.Combine(folder, "signing.pem"), "signing"), FromFile(Path.Combine(folder, "encryption.pem"), "encryption"));
    }

    private static SecurityKey FromFile(string path, string use)
    {
        if (!File.Exists(path))
        {
            using var created = RSA.Create(2048);
            File.WriteAllText(path, created.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return FromPem(File.ReadAllText(path), use);
    }

    private static SecurityKey FromPem(string pem, string use)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa) { KeyId = $"{use}-{Thumbprint(rsa)}" };
    }

    private static string Thumbprint(RSA rsa) =>
        Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))[..16];
}
