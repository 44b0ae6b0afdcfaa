using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CreditBank.TestSupport;

/// <summary>
/// The standalone host as <c>make run</c> starts it (every module and the portal, SQLite, in-memory bus, demo data), as
/// its own process on two loopback ports: REST (HTTP/1.1) and gRPC (HTTP/2 only), with its own data folder. Its log
/// goes to the run's service log (<c>$CREDITBANK_TEST_LOG</c>) when it stops, which <c>make test</c> searches for
/// document numbers.
/// </summary>
public sealed class StandaloneProcess : IAsyncDisposable
{
    private static readonly HashSet<int> Given = [];

    private readonly Process _process;
    private readonly string _dataFolder;
    private readonly string _log;

    private StandaloneProcess(Process process, string dataFolder, string log, Uri rest, Uri grpc)
    {
        _process = process;
        _dataFolder = dataFolder;
        _log = log;
        Rest = rest;
        Grpc = grpc;
    }

    /// <summary>The REST address, <c>http://127.0.0.1:port/</c>; also identity's issuer.</summary>
    public Uri Rest { get; }

    public Uri Grpc { get; }

    /// <summary>
    /// Starts it on two free ports from <paramref name="restPorts"/> and <paramref name="grpcPorts"/> (50 each: the range
    /// given to the calling project's hosts, below the kernel's ephemeral range, and never a port given before in this
    /// process), and returns once the demo data is loaded.
    /// </summary>
    /// <param name="settings">More command-line settings (<c>--Section:Key=value</c>) after the standard ones.</param>
    public static async Task<StandaloneProcess> StartAsync(int restPorts, int grpcPorts, string folderName, params string[] settings)
    {
        var (rest, grpc) = (new Uri($"http://127.0.0.1:{FreePort(restPorts)}/"), new Uri($"http://127.0.0.1:{FreePort(grpcPorts)}/"));
        var dataFolder = Path.Combine(Path.GetTempPath(), folderName, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataFolder);
        var log = Path.Combine(dataFolder, "standalone.log");
        var dll = StandaloneDll();
        var start = new ProcessStartInfo("bash", ["-c", "exec dotnet \"$@\" >>\"$LOG_FILE\" 2>&1", "dotnet", dll,
            $"--DataFolder={dataFolder}",
            $"--Kestrel:Endpoints:Rest:Url={rest.ToString().TrimEnd('/')}", $"--Kestrel:Endpoints:Grpc:Url={grpc.ToString().TrimEnd('/')}",
            $"--Identity:Issuer={rest}", "--Identity:AttemptsPerMinute=1000", $"--Credentials:PublicBaseUrl={rest.ToString().TrimEnd('/')}", .. settings])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
        };
        start.Environment["LOG_FILE"] = log;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The standalone host did not start.");
        var host = new StandaloneProcess(process, dataFolder, log, rest, grpc);
        await host.WaitForDemoDataAsync();
        return host;
    }

    /// <summary>What the host wrote to its log so far.</summary>
    public string Log() => File.Exists(_log) ? File.ReadAllText(_log) : string.Empty;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
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

    private async Task WaitForDemoDataAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
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

    /// <summary>Build output of services/Standalone in this test's configuration (the test project's reference builds it first).</summary>
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
