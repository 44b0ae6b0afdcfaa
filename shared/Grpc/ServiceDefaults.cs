using Google.Protobuf.Reflection;
using Google.Rpc;
using CreditBank.Grpc.Security;
using CreditBank.Grpc.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CreditBank.Grpc;

/// <summary>What every CreditBank host has, whether it runs one service or all of them.</summary>
public static class ServiceDefaults
{
    /// <summary>gRPC with JSON transcoding (REST), server reflection and grpc.health.v1 over the health checks.</summary>
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
        builder.Services.AddGrpcHealthChecks();
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
        app.MapApiReference();
        return app;
    }
}
