using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CreditBank.Persistence;

/// <summary>One service database's migrations, applied on demand.</summary>
internal interface IDatabaseMigrator
{
    Task MigrateAsync(CancellationToken cancellationToken);
}

/// <summary>
/// <c>Databases:&lt;Service&gt;:MigrateAndExit</c>: the process brings its databases up to date and ends. A release's
/// migrations Job runs the service's own image this way, once, so that replicas never race to migrate and a pod of
/// the old release never meets a half-migrated schema it did not expect.
/// </summary>
internal static class MigrateAndExitMode
{
    public static void MigrateAndExit<TDb>(this IHostApplicationBuilder builder)
        where TDb : DbContext
    {
        builder.Services.AddSingleton<IDatabaseMigrator, Migrator<TDb>>();
        if (builder.Services.Any(IsMigrationsOnly))
        {
            return;   // a second database of the same host (the standalone one): one run migrates them all
        }

        builder.Services.AddHostedService<MigrationsOnly>();
        // The host starts every hosted service it has (the web server, the bus, the outbox relay), and one that asks it to
        // stop cannot hold the others back: they start with a cancelled token and fail. So in this mode the host is built
        // without them — the only hosted service left is the one that migrates and then stops the host.
        var development = builder.Environment.IsDevelopment();
        builder.ConfigureContainer(new MigrationsOnlyProviderFactory(new ServiceProviderOptions
        {
            ValidateScopes = development,
            ValidateOnBuild = development,
        }));
    }

    /// <summary>Builds the service provider from every registration except the other hosted services.</summary>
    private sealed class MigrationsOnlyProviderFactory(ServiceProviderOptions options) : IServiceProviderFactory<IServiceCollection>
    {
        public IServiceCollection CreateBuilder(IServiceCollection services) => services;

        public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder)
        {
            IServiceCollection kept = new ServiceCollection();
            foreach (var descriptor in containerBuilder)
            {
                if (descriptor.ServiceType != typeof(IHostedService) || IsMigrationsOnly(descriptor))
                {
                    kept.Add(descriptor);
                }
            }

            return kept.BuildServiceProvider(options);
        }
    }

    private static bool IsMigrationsOnly(ServiceDescriptor descriptor) =>
        descriptor.ServiceType == typeof(IHostedService) && descriptor.ImplementationType == typeof(MigrationsOnly);
}

/// <summary>Migrates every database flagged <c>MigrateAndExit</c>, one after the other, then stops the host.</summary>
internal sealed class MigrationsOnly(IEnumerable<IDatabaseMigrator> migrators, IHostApplicationLifetime lifetime) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var migrator in migrators)
        {
            await migrator.MigrateAsync(cancellationToken);
        }

        // A failed migration throws above: the host fails to start and the process exits non-zero, so the Job retries.
        lifetime.StopApplication();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
