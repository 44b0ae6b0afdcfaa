using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace CreditBank.Persistence;

/// <summary>
/// Writes many new rows of one entity type at once, as part of the transaction the caller holds: on PostgreSQL with
/// binary <c>COPY</c> (tables, columns, store types and value converters taken from the EF model, so a row holds
/// exactly what <c>SaveChanges</c> would have written), from <see cref="CopyFrom"/> rows on; fewer, and every row on
/// other providers, by adding them to the context.
/// </summary>
/// <remarks>
/// Rows written by COPY are in the table when the call returns; they are not tracked, and values the database
/// generates (identity columns) are not read back. Before a COPY, what the caller added to the context earlier is saved,
/// so rows are written in the order they were handed over: a COPY of deposits finds the accounts they refer to, however
/// each call went. Rows added to the context are inserted by the next <c>SaveChanges</c>. Either way call
/// <c>SaveChanges</c> before committing, and treat the rows as written only once the transaction commits.
/// A duplicate key surfaces as a <see cref="PostgresException"/> from COPY, not a <see cref="DbUpdateException"/>:
/// test with <see cref="ServiceDatabase.IsUniqueViolation"/>, which knows both. After a failed COPY the
/// transaction is aborted and can only be rolled back.
/// </remarks>
public static partial class BulkInsert
{
    private static readonly ConditionalWeakTable<IEntityType, CopyPlan> Plans = new();
    private static readonly ConditionalWeakTable<IEntityType, object> Checked = new();

    /// <summary>
    /// Rows from which COPY pays: it costs milliseconds whatever it carries (8 ms for one row on the single-submit
    /// path, measured), while a few rows ride along in the batched INSERTs of the next <c>SaveChanges</c>.
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
        if (db.Database.GetDbConnection() is not NpgsqlConnection connection || rows.Count < CopyFrom)
        {
            // What COPY could not write is refused here too, so that small sets and the SQLite tests find it first.
            Checked.GetValue(entityType, CheckSupported);
            db.Set<T>().AddRange(rows);
            return;
        }

        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(ct);
        }

        var plan = Plans.GetValue(entityType, CopyPlan.For);
        await using var writer = await connection.BeginBinaryImportAsync(plan.Command, ct);
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

        if (entityType.GetFlattenedProperties().FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
        {
            throw new NotSupportedException(
                $"{name}.{shadow.Name} is a shadow property (a value only the change tracker holds): bulk insert cannot read it; map it to a CLR property or use SaveChanges.");
        }

        return entityType;
    }

    /// <summary>The COPY command and, per column, how to read its value from an entity, worked out once per entity type.</summary>
    private sealed class CopyPlan
    {
        public required string Command { get; init; }

        public required IReadOnlyList<CopyColumn> Columns { get; init; }

        public static CopyPlan For(IEntityType entityType)
        {
            CheckSupported(entityType);
            var name = entityType.DisplayName();
            var table = StoreObjectIdentifier.Create(entityType, StoreObjectType.Table)
                ?? throw new NotSupportedException($"{name} is not mapped to a table.");
            var columns = new List<CopyColumn>();
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

                columns.Add(CopyColumn.For(property, column, name));
            }

            var schema = table.Schema is { } s ? Quote(s) + "." : string.Empty;
            var command = new StringBuilder("COPY ").Append(schema).Append(Quote(table.Name)).Append(" (")
                .AppendJoin(", ", columns.Select(c => Quote(c.Name))).Append(") FROM STDIN (FORMAT BINARY)").ToString();
            return new CopyPlan { Command = command, Columns = columns };
        }

        private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>One column: its name, its PostgreSQL type and the value an entity holds for it, converted as EF would.</summary>
    private sealed partial class CopyColumn
    {
        public required string Name { get; init; }

        /// <summary>The store type without its facets (<c>numeric(9,2)</c> → <c>numeric</c>), as Npgsql names types.</summary>
        public required string DataTypeName { get; init; }

        public required Func<object, object?> Value { get; init; }

        public static CopyColumn For(IProperty property, string column, string entityName)
        {
            var getter = property.GetGetter();
            var converter = property.GetTypeMapping().Converter;
            var clientGenerated = property.ValueGenerated.HasFlag(ValueGenerated.OnAdd);
            var dataTypeName = Facets().Replace(property.GetColumnType(), string.Empty).Trim();
            return new CopyColumn
            {
                Name = column,
                DataTypeName = dataTypeName,
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
