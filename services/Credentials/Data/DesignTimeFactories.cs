using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CreditBank.Credentials.Data;

// Used only by `dotnet ef migrations add`; the running service builds its context from configuration (with the same naming convention).
internal sealed class SqliteCredentialsDbFactory : IDesignTimeDbContextFactory<SqliteCredentialsDb>
{
    public SqliteCredentialsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCredentialsDb>().UseSqlite("Data Source=design.db").UseSnakeCaseNamingConvention().Options);
}

internal sealed class PostgresCredentialsDbFactory : IDesignTimeDbContextFactory<PostgresCredentialsDb>
{
    public PostgresCredentialsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCredentialsDb>().UseNpgsql("Host=localhost;Database=design").UseSnakeCaseNamingConvention().Options);
}
