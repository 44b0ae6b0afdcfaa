using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CreditBank.Recognition.Data;

// Used only by `dotnet ef migrations add`; the running service builds its context from configuration.
internal sealed class SqliteRecognitionDbFactory : IDesignTimeDbContextFactory<SqliteRecognitionDb>
{
    public SqliteRecognitionDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteRecognitionDb>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresRecognitionDbFactory : IDesignTimeDbContextFactory<PostgresRecognitionDb>
{
    public PostgresRecognitionDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresRecognitionDb>().UseNpgsql("Host=localhost;Database=design").Options);
}
