using Grpc.Net.Client;

namespace CreditBank.Hardening.Tests;

/// <summary>
/// The standalone host as <c>make run</c> starts it (every module, SQLite, in-memory bus, demo data), as its own process
/// on two loopback ports: REST (HTTP/1.1) and gRPC (HTTP/2 only). Ports come from 26700–26799
/// (<see cref="StandaloneProcess"/>).
/// </summary>
public sealed class StandaloneBank : IAsyncLifetime
{
    private StandaloneProcess? _host;

    public Uri Rest => _host!.Rest;

    public Uri Grpc => _host!.Grpc;

    public HttpClient Http { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    /// <summary>Tokens by who holds them: college, assessor, university, admin, reviewer, zhangsan (a learner).</summary>
    public Dictionary<string, string> TokenOf { get; } = new();

    public async ValueTask InitializeAsync()
    {
        _host = await StandaloneProcess.StartAsync(26700, 26750, "creditbank-hardening");
        Http = new HttpClient { BaseAddress = Rest, Timeout = TimeSpan.FromSeconds(30) };
        Channel = GrpcChannel.ForAddress(Grpc);
        foreach (var (name, id, secret) in new[] { ("college", "college-4150012608", "demo-college-secret"), ("assessor", "assessor-91110108MA01R3XK5U", "demo-assessor-secret"),
                     ("university", "university-4150010611", "demo-university-secret") })
        {
            TokenOf[name] = await Tokens.ForClientAsync(Http, id, secret);
        }

        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false };
        TokenOf["admin"] = await Tokens.ForPersonAsync(handler, "admin", "demo-admin", baseAddress: Rest);
        TokenOf["reviewer"] = await Tokens.ForPersonAsync(handler, "reviewer-liangping", "demo-reviewer", baseAddress: Rest);
        TokenOf["zhangsan"] = await Tokens.ForPersonAsync(handler, "zhangsan", "demo-learner-1", baseAddress: Rest);
    }

    public async ValueTask DisposeAsync()
    {
        Channel?.Dispose();
        Http?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>What the host wrote to its log so far.</summary>
    public string Log() => _host?.Log() ?? string.Empty;
}

[CollectionDefinition(Name)]
public sealed class OneStandaloneBank : ICollectionFixture<StandaloneBank>
{
    public const string Name = "standalone";
}
