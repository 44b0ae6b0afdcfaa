using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CreditBank.Grpc;

/// <summary>Bound from <c>Telemetry</c>: where traces and metrics go. Nothing is collected unless one of them is set.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public OtlpTelemetryOptions Otlp { get; set; } = new();

    public PrometheusTelemetryOptions Prometheus { get; set; } = new();

    public TraceTelemetryOptions Traces { get; set; } = new();
}

public sealed class TraceTelemetryOptions
{
    /// <summary>
    /// The share of new traces recorded (0 to 1), e.g. <c>0.05</c> under a steady load; a trace that arrives already
    /// decided (a caller's <c>traceparent</c>, an event's) keeps its caller's decision. Null: OpenTelemetry's own
    /// default and its standard <c>OTEL_TRACES_SAMPLER</c> / <c>OTEL_TRACES_SAMPLER_ARG</c> (every trace, unless set).
    /// </summary>
    public double? SampleRatio { get; set; }
}

public sealed class OtlpTelemetryOptions
{
    /// <summary>
    /// An OpenTelemetry collector (e.g. <c>http://otel-collector.monitoring:4317</c>) that receives traces and metrics.
    /// Empty: the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> if set, otherwise no OTLP (and no traces at all).
    /// The exporter's other standard variables (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>…_HEADERS</c>) apply too.
    /// </summary>
    public string Endpoint { get; set; } = string.Empty;
}

public sealed class PrometheusTelemetryOptions
{
    /// <summary>
    /// Answer Prometheus' scrapes at <c>GET /metrics</c>: on the Kestrel endpoint named <c>Metrics</c> only, if there is
    /// one (<c>Kestrel:Endpoints:Metrics:Url</c>), otherwise on every endpoint. On Kubernetes the metrics have their own
    /// port, which no Ingress or Service routes to, so the REST port the Ingress publishes never answers <c>/metrics</c>.
    /// </summary>
    public bool Enabled { get; set; }
}

/// <summary>
/// OpenTelemetry for every CreditBank host: traces (the gRPC call, the outbox relay, RabbitMQ, the consumers, PostgreSQL)
/// and metrics (every <c>CreditBank.*</c> meter, RPCs, ASP.NET Core, MassTransit, Npgsql, the runtime), exported over
/// OTLP and/or scraped by Prometheus. docs/operations.md lists the metrics; docs/architecture.md, "Telemetry", how a
/// trace crosses the outbox.
/// </summary>
/// <remarks>
/// With no exporter configured no tracer or meter provider is built: nothing listens to the activity sources and
/// meters, so an instrument's <c>Record</c> and a source's <c>StartActivity</c> return at once. Hot paths check that
/// before they do anything else.
/// </remarks>
public static class Telemetry
{
    /// <summary>Activity sources whose spans are exported: the bank's own, MassTransit's and Npgsql's (ASP.NET Core's and HttpClient's by their instrumentation).</summary>
    public static readonly IReadOnlyList<string> TraceSources = ["CreditBank.*", "MassTransit"];

    /// <summary>Meters exported: the bank's own (<c>CreditBank.Messaging</c>, <c>CreditBank.Grpc</c>, one per service) and MassTransit's.</summary>
    public static readonly IReadOnlyList<string> Meters = ["CreditBank.*", "MassTransit"];

    /// <summary>Registers the sources, meters and instrumentations, and the exporters that are configured.</summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section);
        builder.Services.AddSingleton<RpcMetrics>();
        // Before the modules add theirs (AddServiceDefaults comes first), so that it also sees the calls the others refuse.
        builder.Services.AddGrpc(o => o.Interceptors.Add<RpcMetrics>());

        var otel = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService(ServiceName(builder.Environment.ApplicationName)));
        // What a provider listens to, registered whether or not one is built (only an exporter builds one; a test may add its own).
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing =>
        {
            foreach (var source in TraceSources)
            {
                tracing.AddSource(source);
            }

            if (options.Traces.SampleRatio is { } ratio)
            {
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(Math.Clamp(ratio, 0, 1))));
            }

            tracing.AddAspNetCoreInstrumentation(o =>
                {
                    // Probes and scrapes every few seconds would be most of the traces and say nothing.
                    o.Filter = context => !IsProbeOrScrape(context.Request.Path);
                    o.RecordException = true;
                })
                .AddHttpClientInstrumentation()
                .AddNpgsql();
        });
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics =>
        {
            foreach (var meter in Meters)
            {
                metrics.AddMeter(meter);
            }

            metrics.AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation();
        });

        var otlpEndpoint = string.IsNullOrWhiteSpace(options.Otlp.Endpoint) ? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] : options.Otlp.Endpoint;
        if (!string.IsNullOrWhiteSpace(otlpEndpoint))
        {
            var endpoint = new Uri(otlpEndpoint);
            otel.WithTracing(t => t.AddOtlpExporter(o => o.Endpoint = endpoint))
                .WithMetrics(m => m.AddOtlpExporter(o => o.Endpoint = endpoint));
        }

        if (options.Prometheus.Enabled)
        {
            otel.WithMetrics(m => m.AddPrometheusExporter());
        }

        return builder;
    }

    /// <summary>Prometheus' <c>/metrics</c>, when enabled: anonymous, on its own port if one is configured.</summary>
    /// <remarks>
    /// No authentication: the metrics carry no personal data — their labels are RPC, event, queue and outbox names,
    /// route templates and status codes, never a learner, a document, an institution's request or a token. What keeps
    /// them inside the cluster is the port: the Ingress and the Services publish only <c>rest</c> and <c>grpc</c>.
    /// </remarks>
    public static WebApplication UseTelemetry(this WebApplication app)
    {
        var options = app.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.Prometheus.Enabled)
        {
            var port = MetricsPort(app.Configuration);
            // The connection's own port, not the Host header: a client can write any port into that.
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
                context.Request.Path == MetricsPath && (port is null || context.Connection.LocalPort == port));
        }

        return app;
    }

    private static readonly PathString MetricsPath = new("/metrics");

    /// <summary>The port of the Kestrel endpoint <c>Metrics</c>, if one is configured.</summary>
    private static int? MetricsPort(IConfiguration configuration) =>
        configuration["Kestrel:Endpoints:Metrics:Url"] is { Length: > 0 } url
            ? BindingAddress.Parse(url).Port
            : null;

    private static bool IsProbeOrScrape(PathString path) =>
        path.StartsWithSegments("/health") || path == MetricsPath || path.StartsWithSegments("/grpc.health.v1.Health")
        || path.StartsWithSegments("/grpc.reflection.v1alpha.ServerReflection") || path.StartsWithSegments("/grpc.reflection.v1.ServerReflection");

    /// <summary><c>CreditBank.Recognition</c> → <c>recognition</c>; <c>OTEL_SERVICE_NAME</c> overrides it.</summary>
    private static string ServiceName(string applicationName)
    {
        const string prefix = "CreditBank.";
        var name = applicationName.StartsWith(prefix, StringComparison.Ordinal) ? applicationName[prefix.Length..] : applicationName;
        return name.ToLowerInvariant();
    }
}
