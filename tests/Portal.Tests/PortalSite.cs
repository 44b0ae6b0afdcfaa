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
    private CreditBank.TestSupport.StandaloneProcess? _host;
    private IPlaywright? _playwright;

    public Uri Address => _host!.Rest;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Playwright itself: its request contexts ask as someone without a browser session.</summary>
    public IPlaywright Playwright => _playwright!;

    /// <summary>Where each page's screenshot is kept: <c>portal-screenshots/</c> beside the test binaries.</summary>
    public string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "portal-screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"No chromium at {Chromium}: apt-get install chromium fonts-noto-cjk (scripts/test.sh does it).");
        }

        Directory.CreateDirectory(Screenshots);
        _host = await CreditBank.TestSupport.StandaloneProcess.StartAsync(28100, 28150, "creditbank-portal-tests");

        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
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
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>What the host wrote to its log so far.</summary>
    public string Log() => _host?.Log() ?? string.Empty;
}

[CollectionDefinition(Name)]
public sealed class OnePortalSite : ICollectionFixture<PortalSite>
{
    public const string Name = "portal";
}
