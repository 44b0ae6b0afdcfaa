using CreditBank.Persistence;
using Npgsql;

namespace CreditBank.Integration.Tests;

/// <summary>The connection settings every service's PostgreSQL database gets unless its connection string says otherwise.</summary>
public sealed class PostgresDefaults
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public void A_connection_string_without_them_gets_statement_preparation_and_no_reset_on_close()
    {
        var settings = new NpgsqlConnectionStringBuilder(ServiceDatabase.WithPostgresDefaults("Host=db;Database=accounts;Username=bank"));

        Assert.Equal(64, settings.MaxAutoPrepare);
        Assert.True(settings.NoResetOnClose);
        Assert.Equal("db", settings.Host);
        Assert.Equal("accounts", settings.Database);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=db;maxautoprepare=0;NoResetOnClose=false")]
    public void What_an_operator_set_is_kept(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(ServiceDatabase.WithPostgresDefaults(connectionString));

        Assert.Equal(0, settings.MaxAutoPrepare);
        Assert.False(settings.NoResetOnClose);
    }

    [Fact]
    public async Task A_statement_sent_again_and_again_is_prepared_on_the_server_and_stays_prepared_across_pool_reuse()
    {
        var connectionString = ServiceDatabase.WithPostgresDefaults($"{RealInfrastructure.Postgres};Application Name=defaults-{Guid.NewGuid():N}");
        await using var source = NpgsqlDataSource.Create(connectionString);
        for (var i = 0; i < 8; i++)
        {
            // Each round takes the pooled connection again, as a service does per request.
            await using var connection = await source.OpenConnectionAsync(_ct);
            await using var command = new NpgsqlCommand("SELECT $1::int + 1", connection) { Parameters = { new() { Value = i } } };
            Assert.Equal(i + 1, await command.ExecuteScalarAsync(_ct));
        }

        await using var check = await source.OpenConnectionAsync(_ct);
        await using var prepared = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::int + 1%'", check);
        Assert.Equal(1L, await prepared.ExecuteScalarAsync(_ct));
    }
}
