using CreditBank.Persistence;

namespace CreditBank.Accounts.Data;

internal sealed class SqliteAccountsDbFactory() : DesignTimeFactory<SqliteAccountsDb>(DatabaseProvider.Sqlite);

internal sealed class PostgresAccountsDbFactory() : DesignTimeFactory<PostgresAccountsDb>(DatabaseProvider.Postgres);
