namespace CreditBank.TestSupport;

/// <summary>
/// Settings every in-process test host starts from: the embedded default with quick outbox polling. With
/// <c>CREDITBANK_TEST_DATABASES=postgres</c> (and <c>CREDITBANK_TEST_POSTGRES</c> from <c>scripts/infra.sh</c>) every
/// service keeps its data in a PostgreSQL database of its own instead, so that the same tests run the production path.
/// </summary>
public static class TestSettings
{
    private static readonly string[] Services = ["Identity", "Recognition", "Accounts", "Conversion", "Credentials"];

    /// <summary>The provider the per-service tests run on in this run: SQLite unless the environment says PostgreSQL.</summary>
    public static bool OnPostgres =>
        string.Equals(Environment.GetEnvironmentVariable("CREDITBANK_TEST_DATABASES"), "postgres", StringComparison.OrdinalIgnoreCase);

    public const string HashKey = "dGVzdC1vbmx5LWhhc2gta2V5LXRoYXQtaXMtbG9uZy1lbm91Z2gtMzI=";
    public const string SealKey = "dGVzdC1vbmx5LXNlYWwta2V5LTMyLWJ5dGVzLWxvbmc=";

    public static Dictionary<string, string?> Embedded(string dataFolder)
    {
        var settings = Defaults(dataFolder);
        if (OnPostgres)
        {
            var server = Environment.GetEnvironmentVariable("CREDITBANK_TEST_POSTGRES")
                ?? throw new InvalidOperationException("CREDITBANK_TEST_DATABASES=postgres needs CREDITBANK_TEST_POSTGRES (eval \"$(scripts/infra.sh up)\").");
            // One database per service and data folder: hosts on different folders never share data, as on SQLite.
            var host = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(dataFolder).TrimEnd(Path.DirectorySeparatorChar))))[..12];
            foreach (var service in Services)
            {
                settings[$"Databases:{service}:Provider"] = "Postgres";
                settings[$"Databases:{service}:ConnectionString"] = $"{server};Database={service.ToLowerInvariant()}_{host}";
            }
        }

        return settings;
    }

    private static Dictionary<string, string?> Defaults(string dataFolder) => new()
    {
        ["DataFolder"] = dataFolder,
        ["Messaging:Transport"] = "InMemory",
        ["Messaging:Outbox:PollInterval"] = "00:00:00.200",
        ["Messaging:Outbox:PublishTimeout"] = "00:00:05",
        ["DocumentProtection:HashKey"] = HashKey,
        ["DocumentProtection:SealKey"] = SealKey,
        ["DocumentProtection:SealKeyId"] = "test1",
        ["Redis:Configuration"] = "",
        ["Identity:Issuer"] = "http://localhost/",
        ["Identity:DevelopmentKeys"] = "true",
        ["Identity:SeedDemo"] = "true",
        ["Identity:AllowHttp"] = "true",
        ["Identity:AttemptsPerMinute"] = "1000",
        ["Authentication:Authority"] = "",
        ["Credentials:PublicBaseUrl"] = "http://localhost",
        ["Credentials:DevelopmentKeys"] = "true",
    };
}
