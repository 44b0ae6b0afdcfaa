namespace CreditBank.Credentials.Tests;

/// <summary>
/// The bank on a given data folder, with given credential keys: its databases and identity's keys survive from one host
/// to the next, as through a restart (with new configuration, when the keys differ).
/// </summary>
internal sealed class BankOnAFolder(IDictionary<string, string?> settings) : CredentialsBank(settings), IAsyncDisposable
{
    public static async Task<BankOnAFolder> StartAsync(string folder, string signingKey, string[] retired)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DataFolder"] = folder,
            ["Credentials:DevelopmentKeys"] = "false",
            ["Credentials:SigningKeyPem"] = signingKey,
        };
        for (var i = 0; i < retired.Length; i++)
        {
            settings[$"Credentials:RetiredKeyPems:{i}"] = retired[i];
        }

        var bank = new BankOnAFolder(settings);
        await bank.InitializeAsync();
        return bank;
    }

    /// <summary>A new P-256 signing key, as PEM: the private key to sign with, the public one to keep publishing once retired.</summary>
    public static (string PrivatePem, string PublicPem) NewKey()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return (key.ExportPkcs8PrivateKeyPem(), key.ExportSubjectPublicKeyInfoPem());
    }

    ValueTask IAsyncDisposable.DisposeAsync() => DisposeAsync();
}
