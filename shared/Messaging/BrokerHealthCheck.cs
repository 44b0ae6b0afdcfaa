using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace CreditBank.Messaging;

/// <summary>
/// Unhealthy unless the service can use its broker: the bus is connected and its receive endpoints are ready, and — on
/// RabbitMQ — a connection of its own reaches the broker and the broker does not block publishers (a memory or disk
/// alarm). A service that cannot use its broker neither publishes its outbox nor consumes its events, so it is not
/// ready (gRPC health NOT_SERVING, REST 503); it stays alive (liveness), because an outage is no reason to restart it.
/// </summary>
/// <remarks>
/// MassTransit's own check reports a broker outage as Degraded, which gRPC health and Kubernetes readiness count as
/// serving, and a bus that only publishes (recognition) has no receive endpoint to fail at all: hence the connection of
/// the check's own, which recovers by itself within seconds of the broker's return.
/// </remarks>
internal sealed partial class BrokerHealthCheck(IBusControl bus, BrokerConnection connection, ILogger<BrokerHealthCheck> logger) : IHealthCheck
{
    /// <summary>Null until the bus is first usable: a start is not an outage.</summary>
    private bool? _usable;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = bus.CheckHealth();
        var problem = health.Status != BusHealthStatus.Healthy
            ? $"The bus is {health.Status.ToString().ToLowerInvariant()}: {health.Description}"
            : await connection.ProblemAsync(cancellationToken);
        Note(problem);
        return problem is null ? HealthCheckResult.Healthy(health.Description) : HealthCheckResult.Unhealthy(problem, health.Exception);
    }

    private void Note(string? problem)
    {
        var usable = problem is null;
        if (usable == _usable || (_usable is null && !usable))
        {
            return;
        }

        if (usable)
        {
            LogUsable();
        }
        else
        {
            LogNotUsable(problem!);
        }

        _usable = usable;
    }

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "The broker cannot be used: not ready until it can. {Problem}")]
    private partial void LogNotUsable(string problem);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Information, Message = "The broker can be used: ready")]
    private partial void LogUsable();
}

/// <summary>The health check's own connection to RabbitMQ (none on the in-memory transport): open, and not blocked.</summary>
internal sealed class BrokerConnection(IOptions<MessagingOptions> options, TimeProvider time) : IAsyncDisposable
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private IConnection? _connection;
    private string? _blocked;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;

    /// <returns>Null while the broker is usable; otherwise why not.</returns>
    public async Task<string?> ProblemAsync(CancellationToken ct)
    {
        if (options.Value.Transport != Transport.RabbitMq)
        {
            return null;
        }

        if (_connection is null)
        {
            await ConnectAsync(ct);
        }

        return _connection switch
        {
            null => "RabbitMQ does not accept connections.",
            { IsOpen: false } => "The connection to RabbitMQ is lost; it is being recovered.",
            _ when _blocked is { } reason => $"RabbitMQ blocks publishers: {reason}.",
            _ => null,
        };
    }

    private async Task ConnectAsync(CancellationToken ct)
    {
        if (time.GetUtcNow() < _nextAttempt || !await _connecting.WaitAsync(0, ct))
        {
            return;
        }

        try
        {
            _nextAttempt = time.GetUtcNow() + RetryAfter;
            var factory = new ConnectionFactory
            {
                Uri = new Uri(options.Value.RabbitMqUri),
                ClientProvidedName = "health",
                AutomaticRecoveryEnabled = true,
                NetworkRecoveryInterval = RetryAfter,
                RequestedConnectionTimeout = RetryAfter,
            };
            // On a cluster, any node will do, as for the bus (UseCluster): with only RabbitMqUri's host the check stayed
            // NOT_SERVING for good once that node was stopped, though the bus had moved on (make drill's cluster phase).
            var nodes = options.Value.RabbitMqClusterNodes;
            var connection = nodes.Length > 0
                ? await factory.CreateConnectionAsync(nodes.Select(n => AmqpTcpEndpoint.Parse(n)).ToList(), ct)
                : await factory.CreateConnectionAsync(ct);
            connection.ConnectionBlockedAsync += (_, e) => Blocked(e.Reason);
            connection.ConnectionUnblockedAsync += (_, _) => Blocked(null);
            _connection = connection;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not reachable now: reported as such, and tried again at a later check.
        }
        finally
        {
            _connecting.Release();
        }
    }

    private Task Blocked(string? reason)
    {
        _blocked = reason;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _connecting.Dispose();
    }
}
