using CreditBank.Accounts.Data;
using CreditBank.Contracts.Events;
using CreditBank.Conversion.Data;
using CreditBank.Messaging;
using CreditBank.Persistence;
using CreditBank.Recognition.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CreditBank.Integration.Tests;

/// <summary>
/// On PostgreSQL every service's outbox stores large event bodies (a batch chunk's is ~0.5 MB of JSON) with lz4, which
/// costs a fraction of the default pglz's CPU for the same work.
/// </summary>
public sealed class OutboxBodies
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("accounts")]
    [InlineData("conversion")]
    [InlineData("recognition")]
    public async Task A_large_event_body_is_stored_with_lz4(string service)
    {
        var database = $"{RealInfrastructure.Postgres};Database=outbox_{service}_{Guid.NewGuid().ToString("N")[..12]}";
        await using var db = Context(service, database);
        try
        {
            await db.Database.MigrateAsync(_ct);
            db.Add(OutboxMessage.For(new AccountsOpened
            {
                EventId = Guid.CreateVersion7(),
                OccurredAt = DateTimeOffset.UtcNow,
                Actor = "institution:4150012608",
                // ~100 KB of JSON, far above the 2 KB at which PostgreSQL compresses a value.
                Accounts = [.. Enumerable.Range(0, 1_000).Select(i => new OpenedAccount(Guid.CreateVersion7(), "RESIDENT_ID_CARD", $"{i:x64}"))],
            }));
            await db.SaveChangesAsync(_ct);

            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync(_ct);
            await using var compression = new NpgsqlCommand("SELECT pg_column_compression(body) FROM outbox_messages", connection);
            Assert.Equal("lz4", await compression.ExecuteScalarAsync(_ct));
        }
        finally
        {
            await db.Database.EnsureDeletedAsync(_ct);
        }
    }

    private static DbContext Context(string service, string database) => service switch
    {
        "accounts" => new PostgresAccountsDb(ServiceDatabase.WithConventions(new DbContextOptionsBuilder<PostgresAccountsDb>().UseNpgsql(database)).Options),
        "conversion" => new PostgresConversionDb(ServiceDatabase.WithConventions(new DbContextOptionsBuilder<PostgresConversionDb>().UseNpgsql(database)).Options),
        _ => new PostgresRecognitionDb(ServiceDatabase.WithConventions(new DbContextOptionsBuilder<PostgresRecognitionDb>().UseNpgsql(database)).Options),
    };
}
