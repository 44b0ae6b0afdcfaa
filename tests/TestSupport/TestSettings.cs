namespace CreditBank.TestSupport;

/// <summary>Settings every in-process test host starts from: the embedded default with quick outbox polling.</summary>
public static class TestSettings
{
    public const string HashKey = "dGVzdC1vbmx5LWhhc2gta2V5LXRoYXQtaXMtbG9uZy1lbm91Z2gtMzI=";
    public const string SealKey = "dGVzdC1vbmx5LXNlYWwta2V5LTMyLWJ5dGVzLWxvbmc=";

    public static Dictionary<string, string?> Embedded(string dataFolder) => new()
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
