using CreditBank.Persistence;

namespace CreditBank.Identity.Data;

internal sealed class SqliteIdentityDbFactory() : DesignTimeFactory<SqliteIdentityDb>(DatabaseProvider.Sqlite);

internal sealed class PostgresIdentityDbFactory() : DesignTimeFactory<PostgresIdentityDb>(DatabaseProvider.Postgres);
