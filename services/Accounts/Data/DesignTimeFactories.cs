using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CreditBank.Accounts.Data;

// Used only by `dotnet ef migrations add`; the running service builds its context from configuration.
internal sealed class SqliteAccountsDbFactory : IDesignTimeDbContextFactory<SqliteAccountsDb>
{
    public SqliteAccountsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAccountsDb>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresAccountsDbFactory : IDesignTimeDbContextFactory<PostgresAccountsDb>
{
    public PostgresAccountsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAccountsDb>().UseNpgsql("Host=localhost;Database=design").Options);
}
