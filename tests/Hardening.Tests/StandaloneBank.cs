using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;

namespace CreditBank.Hardening.Tests;

/// <summary>
/// The standalone host as <c>make run</c> starts it (every module, SQLite, in-memory bus, demo data), as its own process
/// on two loopback ports: REST (HTTP/1.1) and gRPC (HTTP/2 only). Ports come from 26700–26799, below the
/// kernel's ephemeral range (where an outgoing connection could take one between the check and the bind), and no two
/// hosts of this test process are given the same one. Its log goes to the
/// run's service log (<c>$CREDITBANK_TEST_LOG</c>), which <c>make test</c> searches for document numbers.
/// </summary>
public sealed class StandaloneBank : IAsyncLifetime
{
    private Process? _process;
    private string _dataFolder = string.Empty;
    private string _log = string.Empty;

    public Uri Rest { get; private set; } = null!;

    public Uri Grpc { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    /// <summary>Tokens by who holds them: college, assessor, university, admin, reviewer, zhangsan (a learner).</summary>
    public Dictionary<string, string> TokenOf { get; } = new();

    public async ValueTask InitializeAsync()
    {
        var (rest, grpc) = (FreePort(26700), FreePort(26750));
        Rest = new Uri($"http://127.0.0.1:{rest}");
        Grpc = new Uri($"http://127.0.0.1:{grpc}");
        _dataFolder = Path.Combine(Path.GetTempPath(), "creditbank-hardening", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataFolder);
        _log = Path.Combine(_dataFolder, "standalone.log");
        var dll = StandaloneDll();
        var start = new ProcessStartInfo("bash", ["-c", "exec dotnet \"$@\" >>\"$LOG_FILE\" 2>&1", "dotnet", dll,
            $"--DataFolder={_dataFolder}",
            $"--Kestrel:Endpoints:Rest:Url={Rest}", $"--Kestrel:Endpoints:Grpc:Url={Grpc}",
            $"--Identity:Issuer={Rest}", "--Identity:AttemptsPerMinute=1000"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
        };
        start.Environment["LOG_FILE"] = _log;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _process = Process.Start(start) ?? throw new InvalidOperationException("The standalone host did not start.");
        Http = new HttpClient { BaseAddress = Rest, Timeout = TimeSpan.FromSeconds(30) };
        Channel = GrpcChannel.ForAddress(Grpc);
        await WaitForDemoDataAsync();
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
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (Environment.GetEnvironmentVariable("CREDITBANK_TEST_LOG") is { Length: > 0 } all && File.Exists(_log))
        {
            await File.AppendAllTextAsync(all, await File.ReadAllTextAsync(_log));
        }

        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>What the host wrote to its log so far.</summary>
    public string Log() => File.Exists(_log) ? File.ReadAllText(_log) : string.Empty;

    private async Task WaitForDemoDataAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The standalone host exited ({_process.ExitCode}):\n{Log()}");
            }

            // The demo outcomes are its last start-up step: once demo-6 is logged, the bank is ready.
            if (Log().Contains("Demo outcome demo-6", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The standalone host did not become ready:\n{Log()}");
    }

    /// <summary>Build output of services/Standalone in this test's configuration (the project reference builds it first).</summary>
    private static string StandaloneDll()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CreditBank.sln")))
        {
            folder = folder.Parent;
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(folder?.FullName ?? throw new InvalidOperationException("No CreditBank.sln above the tests."),
            "services", "Standalone", "bin", configuration, "net10.0", "CreditBank.Standalone.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build services/Standalone first.", dll);
    }

    private static readonly HashSet<int> Given = [];

    /// <summary>A free loopback port from <paramref name="from"/> on (the range given to this project's test hosts), never one given before.</summary>
    private static int FreePort(int from)
    {
        for (var port = from; port < from + 50; port++)
        {
            lock (Given)
            {
                if (!Given.Add(port))
                {
                    continue;
                }
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException($"No free port in {from}–{from + 49}.");
    }
}

[CollectionDefinition(Name)]
public sealed class OneStandaloneBank : ICollectionFixture<StandaloneBank>
{
    public const string Name = "standalone";
}
