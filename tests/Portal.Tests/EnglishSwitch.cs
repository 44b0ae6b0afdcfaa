using Microsoft.Playwright;
using Xunit;

namespace CreditBank.Portal.Tests;

/// <summary>Chinese first; the switch in the header turns every label into English and back.</summary>
[Collection(OnePortalSite.Name)]
public sealed class EnglishSwitch(PortalSite site)
{
    [Fact]
    public async Task The_english_switch_changes_every_visible_label_and_chinese_comes_back()
    {
        var page = await site.NewPageAsync(1280);
        await page.GotoAsync("/");
        Assert.NotEmpty(await page.ChineseShownAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Welcome to the Credit Bank");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
        // Nothing Chinese is left but the way back ("中文").
        Assert.Equal("中文", await page.ChineseShownAsync());
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        await page.CheckAsync(site, "11-home-en");

        await page.GetByRole(AriaRole.Link, new() { Name = "中文" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("欢迎使用学分银行");
        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Every_portal_page_says_what_it_allows_a_browser_to_load()
    {
        var page = await site.NewPageAsync(1280);

        var response = await page.GotoAsync("/");

        var policy = await response!.HeaderValueAsync("content-security-policy");
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("nosniff", await response.HeaderValueAsync("x-content-type-options"));
        await page.Context.CloseAsync();
    }
}
