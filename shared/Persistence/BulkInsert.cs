using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace CreditBank.Persistence;

/// <summary>
/// Writes new rows of one entity type at once, as part of the transaction the caller holds. On PostgreSQL they are
/// written at once, without EF's change tracking (tables, columns, store types and value converters taken from the EF
/// model, so a row holds exactly what <c>SaveChanges</c> would have written): many with binary <c>COPY</c>, from
/// <see cref="CopyFrom"/> rows on; fewer with one <c>INSERT … SELECT FROM unnest(…)</c> of a column array each, one
/// statement and one round trip whatever their number. On other providers the rows are added to the context.
/// </summary>
/// <remarks>
/// Rows written on PostgreSQL are in the table when the call returns; they are not tracked, and values the database
/// generates (identity columns) are not read back. Before they are written, what the caller added to the context
/// earlier is saved, so rows are written in the order they were handed over: deposits find the accounts they refer to,
/// however each call went. Rows added to the context are inserted by the next <c>SaveChanges</c>. Either way call
/// <c>SaveChanges</c> before committing, and treat the rows as written only once the transaction commits.
/// A duplicate key surfaces as a <see cref="PostgresException"/>, not a <see cref="DbUpdateException"/>:
/// test with <see cref="ServiceDatabase.IsUniqueViolation"/>, which knows both. After a failed write the
/// transaction is aborted and can only be rolled back.
/// </remarks>
public static partial class BulkInsert
{
    private static readonly ConditionalWeakTable<IEntityType, RowPlan> Plans = new();
    private static readonly ConditionalWeakTable<IEntityType, object> Checked = new();

    /// <summary>
    /// Rows from which COPY pays: it takes two round trips whatever it carries (the server's go-ahead, then its
    /// answer), while one INSERT of column arrays takes one, and its arrays are built in memory.
    /// </summary>
    public const int CopyFrom = 50;

    /// <summary>Inserts <paramref name="rows"/> in the context's current transaction, which must exist on every provider.</summary>
    public static async Task InsertAllAsync<T>(this DbContext db, IReadOnlyCollection<T> rows, CancellationToken ct)
        where T : class
    {
        if (db.Database.CurrentTransaction is null)
        {
            // Required on every provider, so that a path the SQLite tests cover cannot forget it on PostgreSQL.
            throw new InvalidOperationException(
                $"Inserting {typeof(T).Name} rows in bulk needs a transaction: call Database.BeginTransactionAsync first, and commit after SaveChanges.");
        }

        if (rows.Count == 0)
        {
            return;
        }

        var entityType = db.Model.FindEntityType(typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity type of {db.GetType().Name}.");
        if (db.Database.GetDbConnection() is not NpgsqlConnection connection)
        {
            // What PostgreSQL's path could not write is refused here too, so that the SQLite tests find it first.
            Checked.GetValue(entityType, CheckSupported);
            db.Set<T>().AddRange(rows);
            return;
        }

        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(ct);
        }

        var plan = Plans.GetValue(entityType, RowPlan.For);
        if (rows.Count >= CopyFrom)
        {
            await CopyAsync(connection, plan, rows, ct);
        }
        else
        {
            await InsertAsync(connection, db.NpgsqlTransaction(), plan, rows, ct);
        }
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, RowPlan plan, IReadOnlyCollection<T> rows, CancellationToken ct)
        where T : class
    {
        await using var writer = await connection.BeginBinaryImportAsync(plan.Copy, ct);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(ct);
            foreach (var column in plan.Columns)
            {
                if (column.Value(row) is { } value)
                {
                    await writer.WriteAsync(value, column.DataTypeName, ct);
                }
                else
                {
                    await writer.WriteNullAsync(ct);
                }
            }
        }

        await writer.CompleteAsync(ct);
    }

    /// <summary>One statement: each column's values as one array parameter, unnested into rows by the server.</summary>
    private static async Task InsertAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, RowPlan plan, IReadOnlyCollection<T> rows,
        CancellationToken ct)
        where T : class
    {
        await using var command = new NpgsqlCommand(plan.Insert, connection, transaction);
        foreach (var column in plan.Columns)
        {
            // Typed as the column's own array type, as COPY names each value's type: nothing left to Npgsql's guess.
            command.Parameters.Add(new NpgsqlParameter { Value = column.Values(rows), DataTypeName = column.DataTypeName + "[]" });
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Refuses, with the reason, an entity type whose rows COPY could not write as EF would.</summary>
    private static object CheckSupported(IEntityType entityType)
    {
        var name = entityType.DisplayName();
        if (entityType.IsOwned() || entityType.BaseType is not null || entityType.GetDerivedTypes().Any())
        {
            throw new NotSupportedException($"{name}: bulk insert handles plain entity types only, not owned types or inheritance.");
        }

        if (entityType.GetNavigations().FirstOrDefault(n => n.TargetEntityType.IsOwned()) is { } owned)
        {
            throw new NotSupportedException($"{name}.{owned.Name} is an owned type: bulk insert cannot write it; use SaveChanges for {name}.");
        }

        // A complex property's values are columns of the entity's own row, read through it; one mapped to JSON, or one
        // that may be null, is not.
        if (entityType.GetComplexProperties().FirstOrDefault(c => c.IsCollection || c.IsNullable || c.ComplexType.IsMappedToJson()) is { } complex)
        {
            throw new NotSupportedException(
                $"{name}.{complex.Name} is a complex property held as JSON, as a collection or as nullable: bulk insert cannot write it; use SaveChanges for {name}.");
        }

        if (entityType.GetFlattenedProperties().FirstOrDefault(p => p.GetColumnType().EndsWith("[]", StringComparison.Ordinal)) is { } array)
        {
            // unnest would spread an array column's values over rows instead of writing each row's array.
            throw new NotSupportedException($"{name}.{array.Name} is stored as a PostgreSQL array: bulk insert cannot write it; use SaveChanges for {name}.");
        }

        if (entityType.GetFlattenedProperties().FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
        {
            throw new NotSupportedException(
                $"{name}.{shadow.Name} is a shadow property (a value only the change tracker holds): bulk insert cannot read it; map it to a CLR property or use SaveChanges.");
        }

        return entityType;
    }

    /// <summary>The COPY and INSERT commands and, per column, how to read its value from an entity, worked out once per entity type.</summary>
    private sealed class RowPlan
    {
        public required string Copy { get; init; }

        /// <summary><c>INSERT INTO t (a, b) SELECT * FROM unnest($1::type_of_a[], $2::type_of_b[])</c>.</summary>
        public required string Insert { get; init; }

        public required IReadOnlyList<RowColumn> Columns { get; init; }

        public static RowPlan For(IEntityType entityType)
        {
            CheckSupported(entityType);
            var name = entityType.DisplayName();
            var table = StoreObjectIdentifier.Create(entityType, StoreObjectType.Table)
                ?? throw new NotSupportedException($"{name} is not mapped to a table.");
            var columns = new List<RowColumn>();
            foreach (var property in entityType.GetFlattenedProperties())
            {
                if (property.GetColumnName(table) is not { } column)
                {
                    continue;
                }

                if (property.GetComputedColumnSql() is not null || NpgsqlPropertyExtensions.GetValueGenerationStrategy(property) != NpgsqlValueGenerationStrategy.None)
                {
                    // Identity, serial or computed: the database's to fill, as it is when EF inserts.
                    continue;
                }

                if (property.GetDefaultValueSql() is not null || property.TryGetDefaultValue(out _))
                {
                    throw new NotSupportedException(
                        $"{name}.{property.Name} has a database default, which EF applies only to unset values row by row; bulk insert cannot do the same.");
                }

                columns.Add(RowColumn.For(property, column, name));
            }

            var into = (table.Schema is { } s ? Quote(s) + "." : string.Empty) + Quote(table.Name) + " (" + string.Join(", ", columns.Select(c => Quote(c.Name))) + ")";
            return new RowPlan
            {
                Copy = $"COPY {into} FROM STDIN (FORMAT BINARY)",
                Insert = $"INSERT INTO {into} SELECT * FROM unnest({string.Join(", ", columns.Select((c, i) => $"${i + 1}::{c.DataTypeName}[]"))})",
                Columns = columns,
            };
        }

        private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>One column: its name, its PostgreSQL type and the value an entity holds for it, converted as EF would.</summary>
    private sealed partial class RowColumn
    {
        private static readonly MethodInfo ArrayOfMethod = typeof(RowColumn).GetMethod(nameof(ArrayOf), BindingFlags.NonPublic | BindingFlags.Static)!;

        public required string Name { get; init; }

        /// <summary>The store type without its facets (<c>numeric(9,2)</c> → <c>numeric</c>), as Npgsql names types.</summary>
        public required string DataTypeName { get; init; }

        public required Func<object, object?> Value { get; init; }

        /// <summary>The column's values of the given rows, as a typed array (the parameter of one <c>unnest</c> argument).</summary>
        public required Func<IReadOnlyCollection<object>, Func<object, object?>, Array> ValuesOf { get; init; }

        public Array Values(IReadOnlyCollection<object> rows) => ValuesOf(rows, Value);

        public static RowColumn For(IProperty property, string column, string entityName)
        {
            var getter = property.GetGetter();
            var converter = property.GetTypeMapping().Converter;
            var clientGenerated = property.ValueGenerated.HasFlag(ValueGenerated.OnAdd);
            var dataTypeName = Facets().Replace(property.GetColumnType(), string.Empty).Trim();
            var stored = converter?.ProviderClrType ?? property.ClrType;
            stored = Nullable.GetUnderlyingType(stored) ?? stored;
            var element = stored.IsValueType && property.IsNullable ? typeof(Nullable<>).MakeGenericType(stored) : stored;
            return new RowColumn
            {
                Name = column,
                DataTypeName = dataTypeName,
                ValuesOf = ArrayOfMethod.MakeGenericMethod(element).CreateDelegate<Func<IReadOnlyCollection<object>, Func<object, object?>, Array>>(),
                Value = entity =>
                {
                    if (clientGenerated && getter.HasSentinelValueUsingContainingEntity(entity))
                    {
                        // SaveChanges would generate this value (e.g. a Guid key); COPY cannot, so the caller must.
                        throw new InvalidOperationException(
                            $"{entityName}.{property.Name} is unset; set it before inserting in bulk (SaveChanges would have generated it).");
                    }

                    return Written(getter.GetClrValueUsingContainingEntity(entity), converter);
                },
            };
        }

        private static Array ArrayOf<TElement>(IReadOnlyCollection<object> rows, Func<object, object?> value) =>
            PostgresWrites.Column(rows, row => (TElement)value(row)!);

        private static object? Written(object? value, ValueConverter? converter)
        {
            if (converter is not null && value is not null)
            {
                value = converter.ConvertToProvider(value);
            }

            // timestamptz takes UTC only; EF's own writes get the same instant.
            return value is DateTimeOffset at ? at.ToUniversalTime() : value;
        }

        [GeneratedRegex(@"\(\s*\d+(\s*,\s*\d+)?\s*\)")]
        private static partial Regex Facets();
    }
}
