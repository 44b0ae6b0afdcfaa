using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CreditBank.Persistence;

/// <summary>What the bank's set-based PostgreSQL writes share: the caller's transaction, and a column's values as one array.</summary>
public static class PostgresWrites
{
    /// <summary>The context's current transaction, as Npgsql's: set-based writes go into the caller's transaction, never their own.</summary>
    public static NpgsqlTransaction NpgsqlTransaction(this DbContext db) =>
        db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
        ?? throw new InvalidOperationException(
            "A set-based write needs the caller's transaction on PostgreSQL: call Database.BeginTransactionAsync first, and commit after SaveChanges.");

    /// <summary>One column's values, in row order: the array parameter of one <c>unnest</c> argument.</summary>
    public static T[] Column<TRow, T>(IReadOnlyCollection<TRow> rows, Func<TRow, T> value)
    {
        var values = new T[rows.Count];
        var i = 0;
        foreach (var row in rows)
        {
            values[i++] = value(row);
        }

        return values;
    }
}
