using Microsoft.Playwright;
using Xunit;

namespace CreditBank.Portal.Tests;

/// <summary>
/// A second standalone host whose sessions end after <see cref="Lifetime"/> without a visit: the portal's
/// (<c>Portal:IdleTimeout</c>) and the identity service's own (<c>Identity:SessionLifetime</c>), so that a test sees a
/// session really expire on the server in seconds, as it does after an hour away in production. Its own data folder:
/// the shared host's learners are untouched.
/// </summary>
public sealed class ShortSessionSite : IAsyncLifetime
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(20);

    private CreditBank.TestSupport.StandaloneProcess? _host;

    public Uri Address => _host!.Rest;

    public async ValueTask InitializeAsync() =>
        _host = await CreditBank.TestSupport.StandaloneProcess.StartAsync(28100, 28150, "creditbank-portal-tests",
            $"--Portal:IdleTimeout={Lifetime:c}", $"--Identity:SessionLifetime={Lifetime:c}");

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

/// <summary>
/// A person whose session ended while they were away is sent to the identity service's sign-in page, and once signed in
/// arrives back at exactly the page they were on (path and query), whether they reloaded it, followed a link or sent a
/// form from it.
/// </summary>
[Collection(OnePortalSite.Name)]
public sealed class ExpiredSession(PortalSite site, ShortSessionSite shortSessions) : IClassFixture<ShortSessionSite>
{
    private const string WhatIf = "learner/conversion?programme=CQU-SE-2025";

    private const string ZhangsanDocument = "500228200501011237";

    [Fact]
    public async Task A_learner_whose_session_expired_signs_in_again_and_is_back_on_the_page_they_were_on()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(WhatIf);
        await SignInAsync(page);
        await page.WaitForURLAsync(shortSessions.Address + WhatIf);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync("软件工程");

        await WaitForTheSessionsToEndAsync();
        await page.ReloadAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await page.ShootAsync(site, "expired-01-sign-in-again");
        await SignInAsync(page);

        await page.WaitForURLAsync(shortSessions.Address + WhatIf);
        await Assertions.Expect(page.GetByLabel("目标专业")).ToHaveValueAsync("CQU-SE-2025");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync("软件工程");
        await page.ShootAsync(site, "expired-02-back-on-the-page");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_form_sent_after_the_session_expired_leads_to_sign_in_and_back_to_its_page_not_to_an_error()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("learner/claim");
        await SignInAsync(page);
        await page.WaitForURLAsync(shortSessions.Address + "learner/claim");
        await page.GetByLabel("证件号码").FillAsync(ZhangsanDocument);

        await WaitForTheSessionsToEndAsync();
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "认领", Exact = true }).ClickAsync(),
            response => response.Request.Method == "POST");
        Assert.True(answer.Status is 302 or 303, $"the expired form post answered {answer.Status}");
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await SignInAsync(page);

        // The form's values are not replayed (the person sends it again, now signed in): the page itself is back.
        await page.WaitForURLAsync(shortSessions.Address + "learner/claim");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("认领学习账户");
        await page.GetByLabel("证件号码").FillAsync(ZhangsanDocument);
        await page.GetByRole(AriaRole.Button, new() { Name = "认领", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/learner/account", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("total-credits")).ToBeVisibleAsync();

        // Signing out of a session that already ended is no error either: the home page, signed out.
        await WaitForTheSessionsToEndAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("欢迎使用学分银行");
        await page.Context.CloseAsync();
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await site.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = shortSessions.Address.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "zh-CN",
        });
        context.SetDefaultTimeout(90_000);
        return await context.NewPageAsync();
    }

    /// <summary>The identity service's own sign-in page, as 张三 (whose account, in this host's own data, only this class claims).</summary>
    private static async Task SignInAsync(IPage page)
    {
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await page.GetByLabel("User name (用户名)").FillAsync("zhangsan");
        await page.GetByLabel("Password (密码)").FillAsync("demo-learner-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in (登录)" }).ClickAsync();
    }

    /// <summary>Away for longer than both sessions last: no request of this browser reaches the host meanwhile.</summary>
    private static Task WaitForTheSessionsToEndAsync() => Task.Delay(ShortSessionSite.Lifetime + TimeSpan.FromSeconds(3));
}
