using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CreditBank.Conversion.Data;

// Used only by `dotnet ef migrations add`; the running service builds its context from configuration.
internal sealed class SqliteConversionDbFactory : IDesignTimeDbContextFactory<SqliteConversionDb>
{
    public SqliteConversionDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteConversionDb>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresConversionDbFactory : IDesignTimeDbContextFactory<PostgresConversionDb>
{
    public PostgresConversionDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresConversionDb>().UseNpgsql("Host=localhost;Database=design").Options);
}
