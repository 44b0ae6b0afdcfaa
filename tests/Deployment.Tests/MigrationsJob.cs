using System.Reflection;
using CreditBank.Accounts;
using CreditBank.Conversion;
using CreditBank.Credentials;
using CreditBank.Grpc;
using CreditBank.Identity;
using CreditBank.Messaging;
using CreditBank.Recognition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CreditBank.Deployment.Tests;

/// <summary>
/// What a release's migrations Job runs (k8s/migrations): a service, composed exactly as its Program.cs composes it, with
/// <c>Databases:&lt;Service&gt;:MigrateAndExit=true</c>, on a real PostgreSQL (<c>make test</c> starts it).
/// </summary>
public sealed class MigrationsJob
{
    public static TheoryData<string> Services => ["Identity", "Recognition", "Accounts", "Conversion", "Credentials"];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_migrations_run_brings_the_database_up_to_date_and_ends_without_serving(string service)
    {
        var database = $"migrate_{service.ToLowerInvariant()}_{Guid.NewGuid():N}"[..40];
        var app = Compose(service, $"{Postgres};Database={database}");
        var server = app.Services.GetRequiredService<IServer>();

        // Ends by itself: a Job's pod that never exits would hold the release.
        await app.RunAsync().WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);

        Assert.Equal(MigrationsOf(service), await AppliedMigrationsAsync(database));
        // Kestrel never bound its endpoints: nothing was served (and with it, no bus and no outbox relay ran).
        Assert.Empty(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
    }

    [Fact]
    public async Task A_migrations_run_that_cannot_reach_its_database_fails_so_the_Job_tries_again()
    {
        // Nothing listens on port 1.
        var app = Compose("Accounts", "Host=127.0.0.1;Port=1;Username=postgres;Password=postgres;Database=unreachable;Timeout=3");

        await Assert.ThrowsAnyAsync<Exception>(() => app.RunAsync().WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken));
    }

    private static string Postgres => Environment.GetEnvironmentVariable("CREDITBANK_TEST_POSTGRES") is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException("CREDITBANK_TEST_POSTGRES is not set: run the tests through `make test` (scripts/infra.sh starts PostgreSQL).");

    /// <summary>The service's host as its Program.cs builds it, configured as the Job configures it.</summary>
    private static WebApplication Compose(string service, string connectionString)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataFolder"] = Path.Combine(Path.GetTempPath(), "creditbank-tests", Guid.NewGuid().ToString("N")),
            [$"Databases:{service}:Provider"] = "Postgres",
            [$"Databases:{service}:ConnectionString"] = connectionString,
            [$"Databases:{service}:MigrateAndExit"] = "true",
            // Were the web server started, it would take these ports (the test's range); it must not be.
            ["Kestrel:Endpoints:Rest:Url"] = "http://127.0.0.1:35801",
            ["Kestrel:Endpoints:Grpc:Url"] = "http://127.0.0.1:35802",
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:RabbitMqUri"] = "amqp://guest:guest@127.0.0.1:1/",
            ["Identity:DevelopmentKeys"] = "true",
            ["Authentication:Authority"] = service == "Identity" ? "" : "http://127.0.0.1:35803/",
            ["DocumentProtection:HashKey"] = TestSettings.HashKey,
            ["DocumentProtection:SealKey"] = TestSettings.SealKey,
            ["Credentials:PublicBaseUrl"] = "https://credentials.creditbank.example",
            ["Credentials:DevelopmentKeys"] = "true",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(TestLog.Provider);
        builder.AddServiceDefaults();
        _ = service switch
        {
            "Identity" => builder.AddIdentityProvider(),
            "Recognition" => builder.AddRecognition().AddBus(),
            "Accounts" => builder.AddAccounts().AddBus(),
            "Conversion" => builder.AddConversion().AddBus(),
            "Credentials" => builder.AddCredentials().AddBus(),
            _ => throw new ArgumentOutOfRangeException(nameof(service)),
        };
        var app = builder.Build();
        app.MapServiceDefaults();
        _ = service switch
        {
            "Identity" => app.MapIdentityProvider(),
            "Recognition" => app.MapRecognition(),
            "Accounts" => app.MapAccounts(),
            "Credentials" => app.MapCredentials(),
            _ => app.MapConversion(),
        };
        return app;
    }

    /// <summary>The migrations the service ships for PostgreSQL (Data/Migrations/Postgres).</summary>
    private static IReadOnlyList<string> MigrationsOf(string service)
    {
        var assembly = Assembly.Load($"CreditBank.{service}");
        return assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Migration)) && t.GetCustomAttribute<DbContextAttribute>()?.ContextType.Name.StartsWith("Postgres", StringComparison.Ordinal) == true)
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()!.Id)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static async Task<IReadOnlyList<string>> AppliedMigrationsAsync(string database)
    {
        await using var connection = new NpgsqlConnection($"{Postgres};Database={database}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1", connection);
        var applied = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            applied.Add(reader.GetString(0));
        }

        return applied;
    }
}
