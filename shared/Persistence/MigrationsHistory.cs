using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Sqlite.Infrastructure.Internal;
using Microsoft.EntityFrameworkCore.Sqlite.Migrations.Internal;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.Internal;
using Npgsql.EntityFrameworkCore.PostgreSQL.Migrations.Internal;

// The providers' history repositories are EF Core's internal API; overriding ConfigureTable is how a history table's
// shape is given, and the two classes below are all that depends on it.
#pragma warning disable EF1001

namespace CreditBank.Persistence;

/// <summary>
/// <c>__EFMigrationsHistory</c> keeps EF Core's own column names (<c>"MigrationId"</c>, <c>"ProductVersion"</c>): the
/// snake_case convention would rename them too, and a database migrated before the convention could then not tell which
/// migrations it already has.
/// </summary>
internal static class MigrationsHistory
{
    public static DbContextOptionsBuilder KeepEfNames(DbContextOptionsBuilder options)
    {
        if (options.Options.FindExtension<NpgsqlOptionsExtension>() is not null)
        {
            options.ReplaceService<IHistoryRepository, PostgresHistory>();
        }
        else if (options.Options.FindExtension<SqliteOptionsExtension>() is not null)
        {
            options.ReplaceService<IHistoryRepository, SqliteHistory>();
        }

        return options;
    }

    private static void KeepNames(EntityTypeBuilder<HistoryRow> history)
    {
        history.Property(h => h.MigrationId).HasColumnName(nameof(HistoryRow.MigrationId));
        history.Property(h => h.ProductVersion).HasColumnName(nameof(HistoryRow.ProductVersion));
    }

    private sealed class PostgresHistory(HistoryRepositoryDependencies dependencies) : NpgsqlHistoryRepository(dependencies)
    {
        protected override void ConfigureTable(EntityTypeBuilder<HistoryRow> history)
        {
            base.ConfigureTable(history);
            KeepNames(history);
        }
    }

    private sealed class SqliteHistory(HistoryRepositoryDependencies dependencies) : SqliteHistoryRepository(dependencies)
    {
        protected override void ConfigureTable(EntityTypeBuilder<HistoryRow> history)
        {
            base.ConfigureTable(history);
            KeepNames(history);
        }
    }
}
