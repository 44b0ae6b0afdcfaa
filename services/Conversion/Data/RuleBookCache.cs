using CreditBank.Conversion.Domain;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Conversion.Data;

/// <summary>
/// The rule book evaluations use: every rule version, indexed in memory. Rebuilt after an import on this replica and,
/// for other replicas' imports, when older than a minute.
/// </summary>
public sealed class RuleBookCache(IServiceScopeFactory scopes, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private (RuleBook Book, DateTimeOffset LoadedAt)? _current;

    public async Task<RuleBook> GetAsync(CancellationToken ct)
    {
        if (_current is { } current && time.GetUtcNow() - current.LoadedAt < MaxAge)
        {
            return current.Book;
        }

        await _loading.WaitAsync(ct);
        try
        {
            if (_current is { } again && time.GetUtcNow() - again.LoadedAt < MaxAge)
            {
                return again.Book;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConversionDb>();
            var records = await db.RuleVersions.AsNoTracking().ToListAsync(ct);
            var book = new RuleBook(records.Select(ConversionJson.Rule));
            _current = (book, time.GetUtcNow());
            return book;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Invalidate() => _current = null;
}
