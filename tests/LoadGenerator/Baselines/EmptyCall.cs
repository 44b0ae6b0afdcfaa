using CreditBank.LoadGenerator.Measures;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CreditBank.LoadGenerator.Baselines;

/// <summary>
/// Baseline: the cheapest unary gRPC call there is — a health check answered without any work — on the same Kestrel
/// settings as the services (plain HTTP, an HTTP/2-only endpoint), in its own process.
/// </summary>
public static class EmptyCall
{
    /// <summary>The server half: <c>CreditBank.LoadGenerator serve-empty --port N</c>.</summary>
    public static async Task ServeAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, l => l.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<AlwaysServing>();
        await app.RunAsync();
    }

    public static Task<ClosedLoopResult> RunAsync(GrpcChannel channel, int callers, TimeSpan duration, TimeSpan warmUp)
    {
        var client = new Health.HealthClient(channel);
        var request = new HealthCheckRequest();
        return ClosedLoop.RunAsync(callers, duration, warmUp, async _ => await client.CheckAsync(request));
    }

    private sealed class AlwaysServing : Health.HealthBase
    {
        private static readonly HealthCheckResponse Serving = new() { Status = HealthCheckResponse.Types.ServingStatus.Serving };

        public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) => Task.FromResult(Serving);
    }
}
