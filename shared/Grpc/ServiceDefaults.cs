using Google.Protobuf.Reflection;
using Google.Rpc;
using CreditBank.Grpc.Security;
using CreditBank.Grpc.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreditBank.Grpc;

/// <summary>What every CreditBank host has, whether it runs one service or all of them.</summary>
public static class ServiceDefaults
{
    /// <summary>
    /// gRPC with JSON transcoding (REST), server reflection, and health: grpc.health.v1 over the health checks (service
    /// "" for readiness, <see cref="ServiceHealth.LivenessService"/> for liveness) and REST <c>/health/ready</c> and <c>/health/live</c>.
    /// </summary>
    /// <remarks>
    /// Kestrel endpoints come from configuration (<c>Kestrel:Endpoints</c>): on plain HTTP, one HTTP/1.1 endpoint for
    /// REST and one HTTP/2-only endpoint for gRPC, because Kestrel's default Http1AndHttp2 refuses HTTP/2 prior knowledge.
    /// </remarks>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGrpc(o => o.EnableDetailedErrors = builder.Environment.IsDevelopment())
            .AddJsonTranscoding(o =>
            {
                // REST callers get the same AIP-193 details as gRPC callers, as JSON.
                o.TypeRegistry = TypeRegistry.FromMessages(ErrorInfo.Descriptor, BadRequest.Descriptor);
                o.JsonSettings.WriteIndented = false;
            });
        builder.Services.AddApiReference();
        builder.Services.AddGrpcReflection();
        // Readiness is every check (database, broker, …): gRPC health's default service "" and REST /health/ready.
        // Liveness is only the process's own: a broker or database outage is no reason to restart it.
        builder.Services.AddGrpcHealthChecks(o => o.Services.Map(ServiceHealth.LivenessService, r => r.Tags.Contains(ServiceHealth.LiveTag)))
            .AddCheck("process", () => HealthCheckResult.Healthy(), tags: [ServiceHealth.LiveTag]);
        // The health service logs every unhealthy check as an error, every few seconds while a probe asks, and while a
        // service starts; the checks log their own changes instead (the database's, the broker's).
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical);
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddAntiforgery();
        builder.AddTokenValidation();
        // Last: it replaces gRPC's binder, which AddGrpc (also called by AddGrpcSwagger) registers again.
        builder.Services.AddReceivedMessageChecks();
        return builder;
    }

    /// <summary>The middleware every host runs, in order, then reflection and health (open to anonymous callers).</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseApiDocument();
        // Before authentication: failed client secrets and sign-ins are limited too.
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        // After authorization: a caller without a token hears 401 before anything about its body.
        app.UseTranscodedRequestChecks();
        app.MapGrpcReflectionService().AllowAnonymous();
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { ResponseWriter = ServiceHealth.WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = r => r.Tags.Contains(ServiceHealth.LiveTag), ResponseWriter = ServiceHealth.WriteAsync })
            .AllowAnonymous();
        app.MapApiReference();
        return app;
    }
}

/// <summary>Names the health endpoints share with probes (Kubernetes, the load generator, the tests).</summary>
public static class ServiceHealth
{
    /// <summary>The grpc.health.v1 service name whose status is the process's liveness; "" is readiness.</summary>
    public const string LivenessService = "liveness";

    /// <summary>The tag of the checks liveness counts.</summary>
    public const string LiveTag = "live";

    /// <summary>The report as JSON: the overall status and each check's, with its description (what an operator reads first).</summary>
    internal static Task WriteAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
}
