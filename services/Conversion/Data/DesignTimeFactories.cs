using CreditBank.Persistence;

namespace CreditBank.Conversion.Data;

internal sealed class SqliteConversionDbFactory() : DesignTimeFactory<SqliteConversionDb>(DatabaseProvider.Sqlite);

internal sealed class PostgresConversionDbFactory() : DesignTimeFactory<PostgresConversionDb>(DatabaseProvider.Postgres);
