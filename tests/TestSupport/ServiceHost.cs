using System.Collections.Concurrent;
using CreditBank.Grpc;
using CreditBank.Messaging;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreditBank.TestSupport;

/// <summary>
/// One CreditBank service running in process, composed exactly as its Program.cs composes it
/// (<c>AddServiceDefaults → Add&lt;Module&gt; → AddBus</c>, <c>MapServiceDefaults → Map&lt;Module&gt; → MapBus</c>), reached
/// through its gRPC contract and its REST routes.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServiceHost(WebApplication app, string dataFolder, Uri? listening, ConcurrentQueue<string> log)
    {
        _app = app;
        _log = log;
        DataFolder = dataFolder;
        if (listening is null)
        {
            var server = app.GetTestServer();
            BaseAddress = server.BaseAddress;
            Channel = GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.CreateHandler() });
            Rest = server.CreateClient();
            Handler = server.CreateHandler();
        }
        else
        {
            // A real socket, for what must cross one: another host's OIDC discovery, for instance.
            BaseAddress = listening;
            Handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false };
            Channel = GrpcChannel.ForAddress(listening);
            Rest = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = listening };
        }
    }

    public Uri BaseAddress { get; }

    /// <summary>The server's handler, for clients that manage their own cookies (a browser signing in).</summary>
    public HttpMessageHandler Handler { get; }

    public GrpcChannel Channel { get; }

    /// <summary>For the JSON-transcoded REST routes.</summary>
    public HttpClient Rest { get; }

    public IServiceProvider Services => _app.Services;

    public string DataFolder { get; }

    /// <summary>What this host logged (Information and above), apart from other hosts' lines.</summary>
    public IReadOnlyCollection<string> Log => _log;

    private readonly ConcurrentQueue<string> _log;

    /// <param name="module">The module's <c>Add…</c> call, e.g. <c>b => b.AddRecognition()</c>.</param>
    /// <param name="map">The module's <c>Map…</c> call.</param>
    /// <param name="settings">Configuration on top of <see cref="TestSettings.Embedded"/>.</param>
    /// <param name="services">Test-only additions (probes, observers), registered before the bus is built.</param>
    /// <param name="overLoopback">Listen on a real loopback port (Kestrel) instead of an in-memory TestServer.</param>
    public static async Task<ServiceHost> StartAsync(
        Action<IHostApplicationBuilder> module,
        Action<IEndpointRouteBuilder> map,
        IDictionary<string, string?>? settings = null,
        Action<IHostApplicationBuilder>? services = null,
        bool overLoopback = false)
    {
        var dataFolder = Path.Combine(Path.GetTempPath(), "creditbank-tests", Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        if (overLoopback)
        {
            // Only a free loopback port: not also the fixed ports of an appsettings.json copied next to the tests (5101, 5102 …),
            // which another test run on this machine may hold.
            builder.WebHost.UseKestrel(k =>
            {
                k.Configure(new ConfigurationBuilder().Build());
                k.Listen(System.Net.IPAddress.Loopback, 0);
            });
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        // A test that names the data folder (to start a second host on the first one's data) names its databases too.
        builder.Configuration.AddInMemoryCollection(TestSettings.Embedded(
            settings?.TryGetValue("DataFolder", out var given) == true && given is { Length: > 0 } ? given : dataFolder));
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var log = new ConcurrentQueue<string>();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(TestLog.For(log));
        builder.AddServiceDefaults();
        module(builder);
        services?.Invoke(builder);
        builder.AddBus();
        var app = builder.Build();
        app.MapServiceDefaults();
        map(app);
        app.MapBus();
        await app.StartAsync();
        var listening = overLoopback
            ? new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First())
            : null;
        return new ServiceHost(app, dataFolder, listening, log);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Rest.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
