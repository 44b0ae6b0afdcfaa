using CreditBank.Conversion.Domain;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Conversion.Data;

/// <summary>
/// The grading schemes registered by data that conversion has learnt (<see cref="Events.GradingSchemeDefinedConsumer"/>),
/// by code, in memory. Reloaded after a definition arrives on this replica and, for other replicas', when older than a minute.
/// </summary>
public sealed class GradingSchemeCache(IServiceScopeFactory scopes, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private (IReadOnlyDictionary<string, RegisteredGradingScheme> Schemes, DateTimeOffset LoadedAt)? _current;

    public async Task<IReadOnlyDictionary<string, RegisteredGradingScheme>> GetAsync(CancellationToken ct)
    {
        if (_current is { } current && time.GetUtcNow() - current.LoadedAt < MaxAge)
        {
            return current.Schemes;
        }

        await _loading.WaitAsync(ct);
        try
        {
            if (_current is { } again && time.GetUtcNow() - again.LoadedAt < MaxAge)
            {
                return again.Schemes;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConversionDb>();
            var schemes = (await db.GradingSchemes.AsNoTracking().ToListAsync(ct))
                .ToDictionary(g => g.Code, g => ConversionJson.Read<RegisteredGradingScheme>(g.Definition), StringComparer.OrdinalIgnoreCase);
            _current = (schemes, time.GetUtcNow());
            return schemes;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Invalidate() => _current = null;
}
