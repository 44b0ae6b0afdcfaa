using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CreditBank.Contracts.Events;
using CreditBank.Messaging;
using CreditBank.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Integration.Tests;

/// <summary>
/// How the outbox relay takes its next rows, on SQLite and on real PostgreSQL: in commit order, within a byte budget
/// that the first row may exceed alone, locked so that the next round takes the rows after them, bodies as UTF-8.
/// </summary>
public sealed class OutboxClaims : IAsyncLifetime
{
    private const long Budget = 250_000;

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly string _name = "claims_" + Guid.NewGuid().ToString("N")[..12];
    private readonly OutboxOptions _options = new() { BatchSize = 200, MaxBatchBytes = Budget, LockTimeout = TimeSpan.FromSeconds(30) };

    public static TheoryData<DatabaseProvider> Providers => new(DatabaseProvider.Sqlite, DatabaseProvider.Postgres);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            await using var db = Open(provider);
            await db.Database.EnsureDeletedAsync(CancellationToken.None);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_round_takes_rows_in_commit_order_up_to_the_byte_budget_and_the_next_round_the_rows_after_them(DatabaseProvider provider)
    {
        await using var db = await CreateAsync(provider);
        var stored = await StoreAsync(db, [100_000, 100_000, 100_000, 100_000, 100_000]);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var first = await OutboxClaim.TakeAsync(db, provider, now, _options, _ct);
        var second = await OutboxClaim.TakeAsync(db, provider, now, _options, _ct);
        var third = await OutboxClaim.TakeAsync(db, provider, now, _options, _ct);

        Assert.Equal(stored[..2], first.OrderBy(r => r.Sequence).Select(r => r.Id)); // a third would pass the 250 kB budget
        Assert.Equal(stored[2..4], second.OrderBy(r => r.Sequence).Select(r => r.Id)); // the first two are locked
        Assert.Equal(stored[4..], third.Select(r => r.Id));
        Assert.All(first.Concat(second).Concat(third), r => Assert.Equal(1, r.Attempts));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_row_larger_than_the_budget_is_taken_alone(DatabaseProvider provider)
    {
        await using var db = await CreateAsync(provider);
        var stored = await StoreAsync(db, [400_000, 10_000]);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var first = await OutboxClaim.TakeAsync(db, provider, now, _options, _ct);
        var second = await OutboxClaim.TakeAsync(db, provider, now, _options, _ct);

        Assert.Equal(stored[..1], first.Select(r => r.Id));
        Assert.Equal(stored[1..], second.Select(r => r.Id));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_rows_body_comes_back_as_the_utf8_bytes_of_what_was_stored(DatabaseProvider provider)
    {
        await using var db = await CreateAsync(provider);
        await StoreAsync(db, [1_000], reason: "不予认定：成绩不及格 — «failed»");

        var row = Assert.Single(await OutboxClaim.TakeAsync(db, provider, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), _options, _ct));
        var body = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Sequence == row.Sequence).Select(m => m.Body).SingleAsync(_ct);

        Assert.Equal(Encoding.UTF8.GetBytes(body), row.Body);
        Assert.Equal("不予认定：成绩不及格 — «failed»", Assert.Single(JsonSerializer.Deserialize<OutcomesRejected>(row.Body, EventJson.Options)!.Outcomes).Reason);
        Assert.Equal(typeof(OutcomesRejected).FullName, row.Type);
    }

    private async Task<ClaimDb> CreateAsync(DatabaseProvider provider)
    {
        var db = Open(provider);
        await db.Database.EnsureCreatedAsync(_ct);
        return db;
    }

    /// <summary>One event per size, its reason padded with text that does not compress, so that its body is about that many bytes.</summary>
    private async Task<Guid[]> StoreAsync(ClaimDb db, int[] sizes, string? reason = null)
    {
        var ids = new List<Guid>();
        foreach (var size in sizes)
        {
            var queued = db.Enqueue("institution:4150012608", DateTimeOffset.UtcNow, new OutcomesRejected
            {
                Outcomes = [new(Guid.NewGuid(), "4150012608", "h", "COURSE", "GRADE_FAILED", reason ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(size * 3 / 4)))],
            });
            ids.Add(queued.EventId);
            await db.SaveChangesAsync(_ct); // one commit each: commit order is sequence order
        }

        return [.. ids];
    }

    private ClaimDb Open(DatabaseProvider provider) => new(provider == DatabaseProvider.Postgres
        ? ServiceDatabase.WithConventions(new DbContextOptionsBuilder<ClaimDb>().UseNpgsql($"{RealInfrastructure.Postgres};Database={_name}")).Options
        : ServiceDatabase.WithConventions(new DbContextOptionsBuilder<ClaimDb>().UseSqlite($"Data Source={Path.Combine(Path.GetTempPath(), _name + ".db")}")).Options);

    private sealed class ClaimDb(DbContextOptions<ClaimDb> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder model) => model.AddOutboxAndInbox(Database);
    }
}
