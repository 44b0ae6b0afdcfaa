using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CreditBank.Persistence;

/// <summary>
/// Makes a service's provider context for <c>dotnet ef migrations add</c> (the running service builds it from
/// configuration), with the conventions it runs with. A service declares one per provider in a line:
/// <c>internal sealed class SqliteAccountsDbFactory() : DesignTimeFactory&lt;SqliteAccountsDb&gt;(DatabaseProvider.Sqlite);</c>
/// </summary>
public abstract class DesignTimeFactory<TDb>(DatabaseProvider provider) : IDesignTimeDbContextFactory<TDb>
    where TDb : DbContext
{
    public TDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TDb>();
        _ = provider == DatabaseProvider.Postgres ? options.UseNpgsql("Host=localhost;Database=design") : options.UseSqlite("Data Source=design.db");
        ServiceDatabase.WithConventions(options);
        return (TDb)Activator.CreateInstance(typeof(TDb), options.Options)!;
    }
}
