using CreditBank.Persistence;

namespace CreditBank.Credentials.Data;

internal sealed class SqliteCredentialsDbFactory() : DesignTimeFactory<SqliteCredentialsDb>(DatabaseProvider.Sqlite);

internal sealed class PostgresCredentialsDbFactory() : DesignTimeFactory<PostgresCredentialsDb>(DatabaseProvider.Postgres);
