namespace CreditBank.Persistence;

public enum DatabaseProvider
{
    /// <summary>The embedded default: one SQLite file per service under the data folder.</summary>
    Sqlite,

    /// <summary>Production: one PostgreSQL database per service.</summary>
    Postgres,
}

/// <summary>Where one service keeps its data; bound from <c>Databases:&lt;Service&gt;</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Databases";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Empty means the embedded default: <c>Data Source={DataFolder}/{service}.db</c>.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Apply pending migrations at start-up (on by default; turn off where a job migrates).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// Apply pending migrations, then end the process (exit code 0) without starting anything else: no web server, no
    /// bus, no outbox relay. What a release's migrations Job runs (k8s/migrations), once, before the new pods start.
    /// </summary>
    public bool MigrateAndExit { get; set; }
}

/// <summary>The folder the embedded topology keeps its files in; <c>DataFolder</c> in configuration.</summary>
public static class DataFolder
{
    public const string Key = "DataFolder";

    public static string Resolve(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var folder = configuration[Key];
        folder = string.IsNullOrWhiteSpace(folder) ? Path.Combine(AppContext.BaseDirectory, "data") : folder;
        Directory.CreateDirectory(folder);
        return Path.GetFullPath(folder);
    }
}
