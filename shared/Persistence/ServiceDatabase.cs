using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CreditBank.Persistence;

/// <summary>Registers a service's database on the configured provider.</summary>
/// <remarks>
/// Each service has one DbContext (<typeparamref name="TDb"/>) and a subclass per provider that owns that
/// provider's migrations (<c>Data/Migrations/Sqlite</c>, <c>Data/Migrations/Postgres</c>), because EF Core binds a
/// migration to exactly one context type. Code outside <c>Data/</c> only ever sees <typeparamref name="TDb"/>.
/// </remarks>
public static class ServiceDatabase
{
    public static IHostApplicationBuilder AddServiceDatabase<TDb, TSqliteDb, TPostgresDb>(
        this IHostApplicationBuilder builder, string serviceName)
        where TDb : DbContext
        where TSqliteDb : TDb
        where TPostgresDb : TDb
    {
        var options = builder.Configuration.GetSection($"{DatabaseOptions.Section}:{serviceName}").Get<DatabaseOptions>()
            ?? new DatabaseOptions();
        var connectionString = options.ConnectionString;
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    var file = Path.Combine(DataFolder.Resolve(builder.Configuration), $"{serviceName.ToLowerInvariant()}.db");
                    connectionString = new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30 }.ToString();
                }

                builder.Services.AddDbContextPool<TSqliteDb>((sp, o) => Configure<TDb>(o.UseSqlite(connectionString), sp));
                builder.Services.AddScoped<TDb>(sp => sp.GetRequiredService<TSqliteDb>());
                break;
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        $"Databases:{serviceName}:ConnectionString is required when the provider is Postgres.");
                }

                connectionString = WithPostgresDefaults(connectionString);
                builder.Services.AddDbContextPool<TPostgresDb>((sp, o) => Configure<TDb>(
                    o.UseNpgsql(connectionString, npgsql => npgsql.ConfigureDataSource(TraceOnlyWithinOperations)), sp));
                builder.Services.AddScoped<TDb>(sp => sp.GetRequiredService<TPostgresDb>());
                break;
        }

        // For code that may not need the database at all (a read answered from a cache): the pooled context is
        // leased when first asked for, and returned with the request's scope as usual. Like the context itself, it is
        // used by one request at a time.
        builder.Services.AddScoped(sp => new Lazy<TDb>(sp.GetRequiredService<TDb>, LazyThreadSafetyMode.None));
        builder.Services.AddSingleton(new ServiceDatabaseInfo<TDb>(serviceName, options.Provider));
        if (options.MigrateAndExit)
        {
            builder.MigrateAndExit<TDb>();
        }
        else if (options.MigrateOnStart)
        {
            builder.Services.AddHostedService<Migrator<TDb>>();
        }

        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TDb>>($"{serviceName.ToLowerInvariant()}-database");
        return builder;
    }

    /// <summary>
    /// The connection string with the bank's PostgreSQL defaults filled in where it does not set them itself:
    /// <list type="bullet">
    /// <item><c>Max Auto Prepare=64</c>: the statements a service sends again and again (the outbox insert, the inbox
    /// check, the deposit) are prepared once per connection instead of parsed and planned on every call;</item>
    /// <item><c>No Reset On Close=true</c>: a pooled connection is not reset when it goes back to the pool. The services
    /// leave no session state behind (no <c>SET</c>, no temporary tables), and the reset would otherwise run before every
    /// reuse.</item>
    /// </list>
    /// Measured with <c>make bench</c> (docs/performance.md).
    /// </summary>
    public static string WithPostgresDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", string.Empty, StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!given.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Npgsql's spans (when traces are exported: shared/Grpc/Telemetry.cs) only for statements run inside a traced
    /// operation — a call, a consumer, a relay's publish. The relay's polls, the health checks' pings and retention's
    /// deletes would otherwise each start a trace of their own, every second.
    /// </summary>
    private static void TraceOnlyWithinOperations(NpgsqlDataSourceBuilder dataSource) =>
        dataSource.ConfigureTracing(tracing => tracing
            .ConfigureCommandFilter(static _ => System.Diagnostics.Activity.Current is not null)
            .ConfigureBatchFilter(static _ => System.Diagnostics.Activity.Current is not null)
            .ConfigureCopyOperationFilter(static _ => System.Diagnostics.Activity.Current is not null));

    /// <summary>What every service's context has on either provider: its interceptors, and failure logging.</summary>
    /// <remarks>
    /// A refused insert is how the bank tells a retry from a first request and a redelivered event from a new one (the
    /// submission writer and the inbox insert, then look up what a unique violation says is there): expected and
    /// answered, not an error. EF Core logs every failed command and save at Error, exception and all, so each retried
    /// submission put two "fail:" entries in the log; and asking whether a new database exists yet (migrations at start)
    /// logged a failed connection. Its own failure events are Debug here; a failure that nobody handles still reaches
    /// the log through what it fails — gRPC's call logging, MassTransit's fault logging, the outbox relay's warning, the
    /// database health check's warning.
    /// </remarks>
    private static void Configure<TDb>(DbContextOptionsBuilder options, IServiceProvider services)
        where TDb : DbContext =>
        WithConventions(options).AddInterceptors(Interceptors<TDb>(services))
            .ConfigureWarnings(w => w.Log(
                (RelationalEventId.CommandError, LogLevel.Debug),
                (RelationalEventId.ConnectionError, LogLevel.Debug),
                (CoreEventId.SaveChangesFailed, LogLevel.Debug)));

    /// <summary>
    /// What every service's model follows, at run time, when migrations are made and where a tool opens a service's
    /// database itself: tables, columns, keys and indexes in snake_case (but <see cref="MigrationsHistory"/>). Call it
    /// after the provider's <c>Use…</c>.
    /// </summary>
    public static DbContextOptionsBuilder WithConventions(DbContextOptionsBuilder options) =>
        MigrationsHistory.KeepEfNames(options.UseSnakeCaseNamingConvention());

    /// <inheritdoc cref="WithConventions(DbContextOptionsBuilder)"/>
    public static DbContextOptionsBuilder<TDb> WithConventions<TDb>(DbContextOptionsBuilder<TDb> options)
        where TDb : DbContext =>
        (DbContextOptionsBuilder<TDb>)WithConventions((DbContextOptionsBuilder)options);

    private static IEnumerable<IInterceptor> Interceptors<TDb>(IServiceProvider services) =>
        services.GetServices<DbInterceptorRegistration<TDb>>().Select(r => r.Interceptor);

    /// <summary>Conventions every service's model follows on SQLite, which cannot compare DateTimeOffset natively.</summary>
    public static void UseSqliteConventions(this ModelConfigurationBuilder configuration)
    {
        // Stored as sortable ticks; every time the bank writes is UTC, so ordering and comparisons hold.
        configuration.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configuration.Properties<decimal>().HaveConversion<double>();
    }

    /// <summary>
    /// True when writing failed on a unique key or primary key, on either provider: from <c>SaveChanges</c> (a
    /// <see cref="DbUpdateException"/>) or from a bulk write (which on PostgreSQL throws the <see cref="PostgresException"/> itself).
    /// </summary>
    public static bool IsUniqueViolation(this Exception exception) => exception switch
    {
        DbUpdateException { InnerException: { } inner } => inner.IsUniqueViolation(),
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 1555 or 2067,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}

/// <summary>An EF Core interceptor that joins <typeparamref name="TDb"/> wherever it is registered (e.g. the outbox signal).</summary>
public sealed record DbInterceptorRegistration<TDb>(IInterceptor Interceptor);

/// <summary>Which provider a service's database runs on, for the few places SQL differs.</summary>
public sealed record ServiceDatabaseInfo<TDb>(string ServiceName, DatabaseProvider Provider);

/// <summary>Healthy while the service can reach its database; says so in the log when that changes.</summary>
internal sealed partial class DatabaseHealthCheck<TDb>(IServiceScopeFactory scopes, ServiceDatabaseInfo<TDb> info, ILogger<DatabaseHealthCheck<TDb>> logger)
    : IHealthCheck
    where TDb : DbContext
{
    private bool _reached = true;

    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        var reached = await db.Database.CanConnectAsync(cancellationToken);
        if (reached != _reached)
        {
            _reached = reached;
            if (reached)
            {
                LogReachedAgain(info.ServiceName);
            }
            else
            {
                LogUnreachable(info.ServiceName);
            }
        }

        return reached ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The database does not answer.");
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "The database of {Service} does not answer: not ready until it does")]
    private partial void LogUnreachable(string service);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "The database of {Service} answers again")]
    private partial void LogReachedAgain(string service);
}

/// <summary>Applies pending migrations before anything else in the service starts.</summary>
internal sealed partial class Migrator<TDb>(IServiceScopeFactory scopes, ServiceDatabaseInfo<TDb> info, ILogger<Migrator<TDb>> logger)
    : IHostedService, IDatabaseMigrator
    where TDb : DbContext
{
    /// <summary>
    /// One migration of this context at a time in a process. EF Core builds the design-time model it compares the
    /// migrations' snapshot with once and shares it: a second host migrating at the same moment (tests start several)
    /// can meet it half-initialised ("The model must be finalized … before 'GetRelationalModel' can be used").
    /// A service migrates once at start, so nothing waits in production.
    /// </summary>
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public Task StartAsync(CancellationToken cancellationToken) => MigrateAsync(cancellationToken);

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await OneAtATime.WaitAsync(cancellationToken);
        try
        {
            await MigrateAloneAsync(cancellationToken);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private async Task MigrateAloneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        if (info.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers go on while one writer commits.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        // Asking a database that does not exist yet for its pending migrations fails (and EF logs it as an error);
        // asking whether it exists does not. A new database gets every migration.
        var exists = await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken);
        var pending = exists ? (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count() : db.Database.GetMigrations().Count();
        await db.Database.MigrateAsync(cancellationToken);
        LogMigrated(info.ServiceName, info.Provider, pending);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Database of {Service} on {Provider} is up to date ({Applied} migrations applied)")]
    private partial void LogMigrated(string service, DatabaseProvider provider, int applied);
}
