using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Xunit;

namespace CreditBank.Portal.Tests;

/// <summary>
/// The standalone host as <c>make run</c> starts it (every module and the portal, SQLite, in-memory bus, demo data) as
/// its own process on two loopback ports from 28100–28199, and one headless chromium (Debian's, driven by Playwright)
/// for every test of the run: one server and one browser on two cores.
/// </summary>
public sealed class PortalSite : IAsyncLifetime
{
    private const string Chromium = "/usr/lib/chromium/chromium";
    private Process? _process;
    private string _dataFolder = string.Empty;
    private string _log = string.Empty;
    private IPlaywright? _playwright;

    public Uri Address { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where each page's screenshot is kept: <c>portal-screenshots/</c> beside the test binaries.</summary>
    public string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "portal-screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"No chromium at {Chromium}: apt-get install chromium fonts-noto-cjk (scripts/test.sh does it).");
        }

        var (rest, grpc) = (FreePort(28100), FreePort(28150));
        Address = new Uri($"http://127.0.0.1:{rest}/");
        _dataFolder = Path.Combine(Path.GetTempPath(), "creditbank-portal-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataFolder);
        Directory.CreateDirectory(Screenshots);
        _log = Path.Combine(_dataFolder, "standalone.log");
        var dll = StandaloneDll();
        var start = new ProcessStartInfo("bash", ["-c", "exec dotnet \"$@\" >>\"$LOG_FILE\" 2>&1", "dotnet", dll,
            $"--DataFolder={_dataFolder}",
            $"--Kestrel:Endpoints:Rest:Url=http://127.0.0.1:{rest}", $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{grpc}",
            $"--Identity:Issuer={Address}", "--Identity:AttemptsPerMinute=1000"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
        };
        start.Environment["LOG_FILE"] = _log;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _process = Process.Start(start) ?? throw new InvalidOperationException("The standalone host did not start.");
        await WaitForDemoDataAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    /// <summary>A fresh browser context (no cookies) as wide as <paramref name="width"/> pixels.</summary>
    public async Task<IPage> NewPageAsync(int width)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 812 : 900 },
            IsMobile = width < 600,
            Locale = "zh-CN",
        });
        // Generous: make test runs the other suites beside this one (a 100,000-line batch among them) on two cores, and a
        // page then took over 30 s once. These are limits for a stuck page, not performance figures.
        context.SetDefaultTimeout(90_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
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

    /// <summary>A free loopback port among the 50 from <paramref name="from"/> (this project's range, below the ephemeral one).</summary>
    private static int FreePort(int from)
    {
        for (var port = from; port < from + 50; port++)
        {
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
public sealed class OnePortalSite : ICollectionFixture<PortalSite>
{
    public const string Name = "portal";
}
