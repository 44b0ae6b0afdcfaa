using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CreditBank.Messaging;

/// <summary>
/// Degraded while events wait in the outbox for longer than a minute: the broker is away or the relay is stuck. The
/// service still serves (submissions are safe in the outbox), but operators see that events are not flowing.
/// </summary>
internal sealed class OutboxHealthCheck<TDb>(IServiceScopeFactory scopes, TimeProvider time) : IHealthCheck
    where TDb : DbContext
{
    private static readonly TimeSpan Lag = TimeSpan.FromMinutes(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        var cutoff = time.GetUtcNow().Subtract(Lag).ToUnixTimeMilliseconds();
        var waiting = await db.Set<OutboxMessage>().CountAsync(m => m.PublishedAtMs == null && m.CreatedAtMs < cutoff, cancellationToken);
        return waiting == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded($"{waiting} events have waited more than {Lag.TotalSeconds:0} s in the outbox of {typeof(TDb).Name}.");
    }
}
