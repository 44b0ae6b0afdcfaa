using System.Security.Cryptography;
using CreditBank.Credentials.Domain;

namespace CreditBank.Credentials.Data;

/// <summary>
/// The credential keys: production from configuration (<c>Credentials:SigningKeyPem</c> and <c>RetiredKeyPems</c>, EC
/// P-256, from a secret store); embedded default only, a key created once under <c>DataFolder/credentials-keys</c>.
/// Signing keys live in this service and nowhere else.
/// </summary>
internal static class SigningKeys
{
    public static IssuerKeyRing Load(CredentialsOptions options, string dataFolder)
    {
        var retired = options.RetiredKeyPems.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => FromPem(p, options, publicOnly: true));
        if (!string.IsNullOrWhiteSpace(options.SigningKeyPem))
        {
            return new IssuerKeyRing(FromPem(options.SigningKeyPem, options, publicOnly: false), retired);
        }

        if (!options.DevelopmentKeys)
        {
            throw new InvalidOperationException(
                "Credentials:SigningKeyPem is required (an EC P-256 private key, PEM). Set Credentials:DevelopmentKeys=true only for the embedded default.");
        }

        var folder = Path.Combine(dataFolder, "credentials-keys");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "signing.pem");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, NewPrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return new IssuerKeyRing(FromPem(File.ReadAllText(path), options, publicOnly: false), retired);
    }

    /// <summary>A new EC P-256 private key as PKCS#8 PEM (what <c>Credentials:SigningKeyPem</c> takes).</summary>
    public static string NewPrivateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    private static IssuerKey FromPem(string pem, CredentialsOptions options, bool publicOnly)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(pem);
        var parameters = key.ExportParameters(includePrivateParameters: !publicOnly && pem.Contains("PRIVATE KEY", StringComparison.Ordinal));
        return IssuerKey.From(parameters, options.KeyUrl, publicOnly);
    }
}
