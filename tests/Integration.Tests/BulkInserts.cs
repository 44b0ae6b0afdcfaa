using CreditBank.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Npgsql;

namespace CreditBank.Integration.Tests;

/// <summary>
/// The bulk insert on real PostgreSQL: binary COPY (many rows) and one INSERT of column arrays (a few) write exactly what
/// EF's SaveChanges would have written.
/// </summary>
public sealed class BulkInserts : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly string _database = "bulk_" + Guid.NewGuid().ToString("N")[..12];

    public async ValueTask InitializeAsync()
    {
        await using var db = Open();
        await db.Database.EnsureCreatedAsync(_ct);
    }

    public async ValueTask DisposeAsync()
    {
        await using var db = Open();
        await db.Database.EnsureDeletedAsync(CancellationToken.None);
    }

    /// <summary>The number of rows written beside the ones under test: none (one INSERT of arrays), or enough for COPY.</summary>
    public static TheoryData<int> Paths => new(0, BulkInsert.CopyFrom);

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_row_written_in_bulk_reads_back_exactly_as_the_same_row_written_by_ef(int fillers)
    {
        var viaEf = Specimen.Full(Guid.NewGuid());
        var inBulk = Specimen.Full(Guid.NewGuid());
        var sparse = Specimen.Sparse(Guid.NewGuid());
        await using (var db = Open())
        {
            db.Specimens.Add(viaEf);
            await db.SaveChangesAsync(_ct);
            await using var transaction = await db.Database.BeginTransactionAsync(_ct);
            await db.InsertAllAsync([inBulk, sparse, .. Fillers(fillers)], _ct);
            await db.SaveChangesAsync(_ct);
            await transaction.CommitAsync(_ct);
        }

        await using var read = Open();
        var rows = await read.Specimens.AsNoTracking().ToDictionaryAsync(s => s.Id, _ct);

        Assert.Equal(3 + fillers, rows.Count);
        Assert.Equivalent(Values(rows[viaEf.Id]), Values(rows[inBulk.Id]), strict: true);
        Assert.Equivalent(Values(Specimen.Full(Guid.Empty)), Values(rows[inBulk.Id]), strict: true);
        Assert.Equivalent(Values(Specimen.Sparse(Guid.Empty)), Values(rows[sparse.Id]), strict: true);
        // The identity column is the database's to fill, as when EF inserts.
        Assert.Equal(rows.Count, rows.Values.Select(r => r.Sequence).Distinct().Count());
        Assert.All(rows.Values, r => Assert.True(r.Sequence > 0));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_time_with_an_offset_is_stored_as_the_same_instant(int fillers)
    {
        var beijing = new DateTimeOffset(2026, 6, 30, 8, 0, 0, TimeSpan.FromHours(8));
        var specimen = Specimen.Sparse(Guid.NewGuid());
        specimen.At = beijing;
        await using (var db = Open())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(_ct);
            await db.InsertAllAsync([specimen, .. Fillers(fillers)], _ct);
            await transaction.CommitAsync(_ct);
        }

        await using var read = Open();
        var stored = await read.Specimens.AsNoTracking().SingleAsync(s => s.Id == specimen.Id, _ct);

        Assert.Equal(beijing, stored.At);
        Assert.Equal(TimeSpan.Zero, stored.At.Offset);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_duplicate_key_in_bulk_is_recognised_as_a_unique_violation_and_leaves_nothing_behind(int fillers)
    {
        var id = Guid.NewGuid();
        await using var db = Open();
        await using var transaction = await db.Database.BeginTransactionAsync(_ct);

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.InsertAllAsync([Specimen.Sparse(id), .. Fillers(fillers), Specimen.Sparse(id)], _ct));
        await transaction.RollbackAsync(_ct);

        Assert.True(error.IsUniqueViolation());
        Assert.False(await db.Specimens.AnyAsync(s => s.Id == id, _ct));
    }

    [Fact]
    public async Task Inserting_in_bulk_outside_a_transaction_is_refused()
    {
        await using var db = Open();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.InsertAllAsync([Specimen.Sparse(Guid.NewGuid())], _ct));

        Assert.Contains("transaction", error.Message);
    }

    [Fact]
    public async Task An_entity_with_a_shadow_property_is_refused_with_its_name()
    {
        await using var db = Open();
        await using var transaction = await db.Database.BeginTransactionAsync(_ct);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => db.InsertAllAsync([new Tagged { Id = Guid.NewGuid() }], _ct));

        Assert.Contains("Tagged.ChangedBy", error.Message);
    }

    [Fact]
    public async Task Rows_are_written_at_once_in_the_order_handed_over_after_what_the_context_held()
    {
        var tracked = Specimen.Sparse(Guid.NewGuid());
        var few = Fillers(3);
        var many = Fillers(BulkInsert.CopyFrom);
        await using (var db = Open())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(_ct);
            db.Specimens.Add(tracked);
            await db.InsertAllAsync(few, _ct);
            Assert.DoesNotContain(db.ChangeTracker.Entries<Specimen>(), e => e.State == EntityState.Added); // saved first, then written, not tracked
            await db.InsertAllAsync(many, _ct);
            await transaction.CommitAsync(_ct);
        }

        await using var read = Open();
        var sequences = await read.Specimens.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Sequence, _ct);

        Assert.Equal(1 + few.Count + many.Count, sequences.Count);
        // Written in the order handed over: what the context held, then the few, then the many.
        Assert.True(sequences[tracked.Id] < few.Min(f => sequences[f.Id]));
        Assert.True(few.Max(f => sequences[f.Id]) < many.Min(m => sequences[m.Id]));
    }

    private static List<Specimen> Fillers(int count) => Enumerable.Range(0, count).Select(_ => Specimen.Sparse(Guid.NewGuid())).ToList();

    private SpecimenDb Open() => new(new DbContextOptionsBuilder<SpecimenDb>().UseNpgsql($"{RealInfrastructure.Postgres};Database={_database}").Options);

    /// <summary>Every stored value except the two keys.</summary>
    private static object Values(Specimen s) => new
    {
        s.Name, s.Note, s.Colour, s.Shade, s.Credits, s.Bonus, s.Count, s.Rank, s.Big, s.Flag, s.At, s.Later, s.On, s.Other, s.Tags, s.Digest,
        HeldCredits = s.Held.Credits, HeldAt = s.Held.Workstation,
    };

    public enum Colour
    {
        Red = 1,
        Green = 2,
        Blue = 7,
    }

    /// <summary>One of every kind of column the bank's tables hold.</summary>
    public sealed class Specimen
    {
        public long Sequence { get; private set; }

        public Guid Id { get; init; }

        public required string Name { get; init; }

        public string? Note { get; init; }

        public Colour Colour { get; init; }

        public Colour? Shade { get; init; }

        public decimal Credits { get; init; }

        public decimal? Bonus { get; init; }

        public int Count { get; init; }

        public int? Rank { get; init; }

        public long Big { get; init; }

        public bool Flag { get; init; }

        public DateTimeOffset At { get; set; }

        public DateTimeOffset? Later { get; init; }

        public DateOnly? On { get; init; }

        public Guid? Other { get; init; }

        public List<string> Tags { get; init; } = [];

        public byte[]? Digest { get; init; }

        /// <summary>A complex property: its values are columns of the specimen's own row.</summary>
        public Holding Held { get; init; } = new();

        public static Specimen Full(Guid id) => new()
        {
            Id = id, Name = "学分 \"银行\", 'COPY'\t\\", Note = "备注", Colour = Colour.Blue, Shade = Colour.Green, Credits = 1234567.89m, Bonus = -0.5m,
            Count = int.MaxValue, Rank = -3, Big = long.MinValue, Flag = true, At = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero),
            Later = new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero), On = new DateOnly(2025, 6, 30), Other = new Guid("0193c0de-0000-7000-8000-000000000001"),
            Tags = ["甲", "乙"], Digest = [0, 1, 127, 128, 255], Held = new Holding { Credits = 42.5m, Workstation = "渝北区工作站" },
        };

        public static Specimen Sparse(Guid id) => new() { Id = id, Name = "", At = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) };
    }

    public sealed class Holding
    {
        public decimal Credits { get; init; }

        public string Workstation { get; init; } = string.Empty;
    }

    public sealed class Tagged
    {
        public Guid Id { get; init; }
    }

    private sealed class SpecimenDb(DbContextOptions<SpecimenDb> options) : DbContext(options)
    {
        public DbSet<Specimen> Specimens => Set<Specimen>();

        protected override void OnModelCreating(ModelBuilder model)
        {
            model.Entity<Specimen>(e =>
            {
                e.ToTable("specimens", "bulk");
                e.HasKey(s => s.Sequence);
                e.Property(s => s.Sequence).HasColumnName("sequence").ValueGeneratedOnAdd();
                e.Property(s => s.Id).HasColumnName("id");
                e.Property(s => s.Name).HasColumnName("display name").HasMaxLength(100);
                e.Property(s => s.Credits).HasColumnName("credits").HasPrecision(9, 2);
                e.Property(s => s.Bonus).HasColumnName("bonus").HasPrecision(9, 2);
                e.Property(s => s.Tags).HasColumnName("tags").HasMaxLength(200)
                    .HasConversion(v => string.Join(',', v), v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(),
                        new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));
                e.HasIndex(s => s.Id).IsUnique();
                e.ComplexProperty(s => s.Held, h =>
                {
                    h.Property(x => x.Credits).HasColumnName("held_credits").HasPrecision(12, 2);
                    h.Property(x => x.Workstation).HasColumnName("held_at").HasMaxLength(50);
                });
            });
            model.Entity<Tagged>(e =>
            {
                e.ToTable("tagged");
                e.Property<string>("ChangedBy");
            });
        }
    }
}
