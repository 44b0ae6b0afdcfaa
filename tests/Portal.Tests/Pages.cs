using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;

namespace CreditBank.Portal.Tests;

/// <summary>What every visited page goes through: a screenshot kept as an artifact, and axe-core's accessibility rules.</summary>
internal static partial class Pages
{
    /// <summary>Keeps a full-page screenshot as <c>portal-screenshots/&lt;width&gt;-&lt;name&gt;.png</c>.</summary>
    public static async Task ShootAsync(this IPage page, PortalSite site, string name)
    {
        var width = page.ViewportSize?.Width ?? 0;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(site.Screenshots, $"{width}-{name}.png"), FullPage = true });
    }

    /// <summary>Screenshot, then axe-core (WCAG 2.1 A/AA and best practices): no serious or critical violation.</summary>
    public static async Task CheckAsync(this IPage page, PortalSite site, string name)
    {
        await page.ShootAsync(site, name);
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        });
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Select(n => string.Join(" ", n.Target)))}")
            .ToList();
        Assert.True(serious.Count == 0, $"{name} at {page.ViewportSize?.Width}px: {string.Join("\n", serious)}");
    }

    /// <summary>The page is no wider than the screen: nothing to scroll sideways at 375 px.</summary>
    public static async Task AssertFitsAsync(this IPage page)
    {
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= page.ViewportSize!.Width, $"{page.Url} is {scrollWidth}px wide at {page.ViewportSize.Width}px");
    }

    /// <summary>
    /// The page's own words (headings, labels, table heads, buttons, terms, navigation, hints and leads) hold no Chinese
    /// but the way back ("中文"); what the bank holds (names of institutions, programmes) may be Chinese in any language.
    /// </summary>
    public static async Task AssertLabelsInEnglishAsync(this IPage page, string labels = "h1, h2, label, th, button, dt, nav a, .hint, main > p, section > p")
    {
        var chinese = (await page.Locator(labels).AllInnerTextsAsync()).Where(t => Han().IsMatch(t) && t.Trim() != "中文").ToList();
        Assert.True(chinese.Count == 0, $"{page.Url} still says: {string.Join(" | ", chinese)}");
    }

    /// <summary>Chinese characters among what the page shows.</summary>
    public static async Task<string> ChineseShownAsync(this IPage page) =>
        string.Concat(Han().Matches(await page.Locator("body").InnerTextAsync()).Select(m => m.Value));

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}+")]
    private static partial Regex Han();
}
