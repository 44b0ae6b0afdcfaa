using CreditBank.Persistence;

namespace CreditBank.Recognition.Data;

internal sealed class SqliteRecognitionDbFactory() : DesignTimeFactory<SqliteRecognitionDb>(DatabaseProvider.Sqlite);

internal sealed class PostgresRecognitionDbFactory() : DesignTimeFactory<PostgresRecognitionDb>(DatabaseProvider.Postgres);
