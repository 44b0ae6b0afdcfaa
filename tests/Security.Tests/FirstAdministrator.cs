using CreditBank.Contracts.Operations.V1;
using CreditBank.Identity;

namespace CreditBank.Security.Tests;

/// <summary>
/// The first administrator of a bank without demo data, from identity's <c>Identity:Bootstrap</c> settings
/// (docs/operations.md, "First start of a bank without demo data"): created once, whatever restarts and replicas follow.
/// Every host of a test keeps its data in the same folder (or PostgreSQL database), as a restarted pod does.
/// </summary>
public sealed class FirstAdministrator : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "creditbank-tests", Guid.NewGuid().ToString("N"));
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_restart_with_the_same_bootstrap_settings_creates_no_second_administrator()
    {
        IReadOnlyCollection<string> firstLog;
        await using (var first = await StartAsync(OperatingANewBank.NewBank()))
        {
            firstLog = [.. first.Log];
        }

        await using var restarted = await StartAsync(OperatingANewBank.NewBank());

        var created = await CreatedAdministratorsAsync(restarted);
        var entry = Assert.Single(created);
        Assert.Equal(("bootstrap", "person:first-admin"), (entry.Actor, entry.Target));
        Assert.Contains(firstLog, l => l.Contains("Bootstrap: administrator first-admin created", StringComparison.Ordinal));
        Assert.Contains(restarted.Log, l => l.Contains("Bootstrap: an administrator exists, none created", StringComparison.Ordinal));
        Assert.DoesNotContain(firstLog.Concat(restarted.Log), l => l.Contains(OperatingANewBank.AdministratorPassword, StringComparison.Ordinal));
        Assert.DoesNotContain(created, e => e.AfterJson.Contains(OperatingANewBank.AdministratorPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_an_administrator_present_bootstrap_settings_naming_someone_else_create_no_one()
    {
        await (await StartAsync(OperatingANewBank.NewBank())).DisposeAsync();

        await using var renamed = await StartAsync(OperatingANewBank.NewBank("second-admin", "second-admin-2026"));

        var signIn = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Tokens.ForPersonAsync(renamed.Handler, "second-admin", "second-admin-2026", redirectUri: OperatingANewBank.SignInCallback));
        Assert.Contains("401", signIn.Message, StringComparison.Ordinal);
        Assert.Equal(["person:first-admin"], (await CreatedAdministratorsAsync(renamed)).Select(e => e.Target));
        Assert.Contains(renamed.Log, l => l.Contains("Bootstrap: an administrator exists, none created", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_replicas_starting_at_once_create_one_administrator()
    {
        // The database exists (a release's migrations Job ran), with no one in it yet.
        await (await StartAsync(new Dictionary<string, string?> { ["Identity:SeedDemo"] = "false" })).DisposeAsync();

        var replicas = await Task.WhenAll(StartAsync(OperatingANewBank.NewBank()), StartAsync(OperatingANewBank.NewBank()));
        try
        {
            Assert.Single(await CreatedAdministratorsAsync(replicas[0]));
            Assert.Single(replicas, r => r.Log.Any(l => l.Contains("Bootstrap: administrator first-admin created", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_bootstrap_password_that_breaks_the_password_policy_stops_identity_from_starting_and_says_why()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(OperatingANewBank.NewBank(password: "letmein1")));

        Assert.StartsWith("Identity:Bootstrap: AdministratorPassword does not meet the password policy: A password has 10 to 128 characters.",
            refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("letmein1", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>Identity alone, on this test's data (the same database at every start).</summary>
    private Task<ServiceHost> StartAsync(Dictionary<string, string?> bank)
    {
        var settings = TestSettings.Embedded(_data);
        foreach (var (key, value) in bank)
        {
            settings[key] = value;
        }

        return ServiceHost.StartAsync(b => b.AddIdentityProvider(), a => a.MapIdentityProvider(), settings);
    }

    /// <summary>identity's audit entries of administrators created, read by the first administrator through the API.</summary>
    private async Task<List<AuditEntry>> CreatedAdministratorsAsync(ServiceHost host)
    {
        var token = await Tokens.ForPersonAsync(host.Handler, "first-admin", OperatingANewBank.AdministratorPassword, "openid admin",
            redirectUri: OperatingANewBank.SignInCallback);
        var audit = await new AuditService.AuditServiceClient(host.Channel.WithToken(token))
            .ListAuditEntriesAsync(new() { Service = "identity", PageSize = 1000 }, cancellationToken: _ct);
        return [.. audit.Entries.Where(e => e.Action == "CreateAdministrator")];
    }
}
