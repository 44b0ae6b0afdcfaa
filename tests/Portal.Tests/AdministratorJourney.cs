using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;

namespace CreditBank.Portal.Tests;

/// <summary>
/// The bank's administrator (管理员) in a browser, on a desk and on a phone: onboards an institution (its client secret
/// shown once), rotates the secret and trusts it, opens a workstation and gives it a reviewer, dry-runs and imports
/// conversion rules, and finds the institution's registration in the audit log.
/// </summary>
[Collection(OnePortalSite.Name)]
public sealed partial class AdministratorJourney(PortalSite site)
{
    public static TheoryData<int> Widths => new() { 1280, 375 };

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task An_administrator_onboards_an_institution_and_sees_its_registration_in_the_audit_log(int width)
    {
        // A 学校标识码 and a district of its own for each run (one host serves both widths).
        var code = $"4159{width:D6}";
        var district = width == 1280 ? "500238" : "500240";
        var page = await site.NewPageAsync(width);
        await SignInAsync(page);

        await page.WaitForURLAsync(url => url.EndsWith("/admin/institutions", StringComparison.Ordinal));
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" });
        foreach (var link in new[] { "机构与客户端", "工作站与审核员", "专业与转换规则", "审计日志" })
        {
            await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = link })).ToBeVisibleAsync();
        }

        await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = "我的学习账户" })).ToHaveCountAsync(0);
        await page.CheckAsync(site, "30-admin-institutions");
        await page.AssertFitsAsync();

        // A mistyped code: the service's refusal, as the next step in the person's language.
        await page.GetByLabel("机构代码").FillAsync("41590");
        await page.GetByLabel("机构名称").FillAsync($"巫溪职业技术学院（示例 {width}）");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记并创建客户端" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("机构代码不正确");
        await page.CheckAsync(site, "31-admin-register-refused");

        await page.GetByLabel("机构代码").FillAsync(code);
        await page.GetByLabel("机构名称").FillAsync($"巫溪职业技术学院（示例 {width}）");
        await page.GetByLabel("机构类型").SelectOptionAsync("高职专科");
        await page.GetByLabel("所在地区").SelectOptionAsync("渝");
        await page.GetByLabel("信任级别").SelectOptionAsync("Untrusted");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记并创建客户端" }).ClickAsync();

        // The secret, once, with the notice to copy it now.
        var secretBox = page.GetByTestId("secret-once");
        await Assertions.Expect(secretBox).ToContainTextAsync("请立即复制");
        await Assertions.Expect(page.GetByTestId("client-id")).ToHaveTextAsync($"institution-{code}");
        var secret = (await page.GetByTestId("client-secret").InnerTextAsync()).Trim();
        Assert.True(secret.Length >= 20, $"a client secret of {secret.Length} characters");
        await Assertions.Expect(page.GetByTestId("institution").Filter(new() { HasText = code })).ToHaveCountAsync(1);
        await page.CheckAsync(site, "32-admin-registered");
        await page.AssertFitsAsync();

        // Shown once: the same page again shows the institution, never its secret (and no administrator's page is cached).
        var again = await page.GotoAsync("/admin/institutions");
        Assert.Equal("no-store", await again!.HeaderValueAsync("cache-control"));
        await Assertions.Expect(page.GetByTestId("secret-once")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        // Its page: rotate the secret (7 days' grace), then trust it.
        await page.GetByRole(AriaRole.Link, new() { Name = $"巫溪职业技术学院（示例 {width}）" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith($"/admin/institutions/{code}", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("client-state")).ToHaveTextAsync("启用中");
        await page.CheckAsync(site, "33-admin-institution");
        await page.AssertFitsAsync();
        await page.GetByLabel("宽限期（天）").FillAsync("7");
        await page.GetByRole(AriaRole.Button, new() { Name = "轮换密钥" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("secret-once")).ToContainTextAsync("请立即复制");
        var rotated = (await page.GetByTestId("client-secret").InnerTextAsync()).Trim();
        Assert.NotEqual(secret, rotated);
        await Assertions.Expect(page.GetByTestId("client-state")).ToContainTextAsync("旧密钥有效至");
        await page.CheckAsync(site, "34-admin-secret-rotated");
        await page.Locator("#trust-level").SelectOptionAsync("Trusted");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存信任级别" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("trust-level")).ToHaveTextAsync("可信发证机构（自动认定）");
        // The save redirects (post, then redirect): its page shows the new level before it has loaded, and a click that
        // navigates away meanwhile once left WaitForURL waiting 90 s for a load event that never came.
        await page.WaitForLoadStateAsync(LoadState.Load);

        // A workstation for 巫溪县 (or 石柱县), a reviewer's login created and assigned, then taken off again.
        await nav.GetByRole(AriaRole.Link, new() { Name = "工作站与审核员" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/admin/workstations", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("workstation").Filter(new() { HasText = "WS-LIANGPING" })).ToBeVisibleAsync();
        await page.CheckAsync(site, "35-admin-workstations");
        await page.AssertFitsAsync();
        var workstation = $"WS-PORTAL-{width}";
        await page.GetByLabel("工作站代码").FillAsync(workstation);
        await page.GetByLabel("工作站名称").FillAsync($"门户测试工作站 {width}");
        await page.GetByLabel("服务的行政区划").FillAsync(district);
        await page.GetByRole(AriaRole.Button, new() { Name = "新建工作站" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("done")).ToHaveTextAsync("工作站已新建。");
        var card = page.GetByTestId("workstation").Filter(new() { HasText = workstation });
        await Assertions.Expect(card).ToContainTextAsync(district);
        await Assertions.Expect(card).ToContainTextAsync("尚未分配审核员");

        await page.Locator("#reviewer-workstation").SelectOptionAsync(workstation);
        await page.GetByLabel("用户名").FillAsync($"reviewer-portal-{width}");
        await page.GetByLabel("显示名称").FillAsync($"门户测试审核员 {width}");
        await page.GetByLabel("初始密码").FillAsync("portal-review-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建并分配" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("done")).ToHaveTextAsync("审核员账号已创建，并已分配到工作站。");
        await Assertions.Expect(card.GetByTestId("reviewer")).ToHaveCountAsync(1);
        await page.CheckAsync(site, "36-admin-reviewer-assigned");
        await page.AssertFitsAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "移除" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("done")).ToHaveTextAsync("审核员已从工作站移除。");
        await Assertions.Expect(card.GetByTestId("reviewer")).ToHaveCountAsync(0);

        // Rules for 重庆大学's 软件工程: a dry run shows the problems by line, and only a clean file is imported.
        await nav.GetByRole(AriaRole.Link, new() { Name = "专业与转换规则" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/admin/programmes", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("programme").Filter(new() { HasText = "CQU-SE-2025" })).ToBeVisibleAsync();
        await page.CheckAsync(site, "37-admin-programmes");
        await page.AssertFitsAsync();
        await page.GetByLabel("目标专业").SelectOptionAsync("CQU-SE-2025");
        await page.GetByLabel("规则文件内容").FillAsync(Rules(code, width, "NOPE999"));
        await page.GetByRole(AriaRole.Button, new() { Name = "试运行" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-problems")).ToBeVisibleAsync();
        var problem = page.GetByTestId("import-problem").First;
        Assert.Matches(Digits(), (await problem.Locator("td").First.InnerTextAsync()).Trim());
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "正式导入" })).ToHaveCountAsync(0);
        await page.CheckAsync(site, "38-admin-rules-problems");
        await page.AssertFitsAsync();

        await page.GetByLabel("规则文件内容").FillAsync(Rules(code, width, "CORE203"));
        await page.GetByRole(AriaRole.Button, new() { Name = "试运行" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-clean")).ToHaveTextAsync("没有发现问题，可以正式导入。");
        await page.GetByRole(AriaRole.Button, new() { Name = "正式导入" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-clean")).ToHaveTextAsync("规则已导入并生效。");
        await Assertions.Expect(page.GetByTestId("import-rule")).ToContainTextAsync($"R-PORTAL-{width} v1");
        await page.CheckAsync(site, "39-admin-rules-imported");

        // The audit log: the registration, by the administrator, with what the institution was after it.
        await nav.GetByRole(AriaRole.Link, new() { Name = "审计日志" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/admin/audit", StringComparison.Ordinal));
        await page.GetByLabel("对象").FillAsync($"institution:{code}");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("target=institution", StringComparison.Ordinal));
        var entries = page.GetByTestId("audit-entry");
        await Assertions.Expect(entries).ToHaveCountAsync(3);
        // Newest first: trusted, rotated, registered.
        await Assertions.Expect(entries.Nth(0)).ToContainTextAsync("调整信任级别");
        await Assertions.Expect(entries.Nth(1)).ToContainTextAsync("轮换客户端密钥");
        var registered = entries.Nth(2);
        await Assertions.Expect(registered).ToContainTextAsync("登记机构");
        await Assertions.Expect(registered).ToContainTextAsync($"institution:{code}");
        await Assertions.Expect(registered).ToContainTextAsync("admin:");
        await Assertions.Expect(registered.Locator("code.json")).ToContainTextAsync($"巫溪职业技术学院（示例 {width}）");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await page.CheckAsync(site, "40-admin-audit");
        await page.AssertFitsAsync();

        // The workstation's changes are recognition's entries; the rules', conversion's.
        await page.GotoAsync($"/admin/audit?service=recognition&target={Uri.EscapeDataString($"workstation:{workstation}")}");
        await Assertions.Expect(entries.Filter(new() { HasText = "新建工作站" })).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    /// <summary>The administrator of the demo data, through the identity service's sign-in page.</summary>
    internal static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "登录", Exact = true }).ClickAsync();
        await page.GetByLabel("User name (用户名)").FillAsync("admin");
        await page.GetByLabel("Password (密码)").FillAsync("demo-admin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in (登录)" }).ClickAsync();
    }

    /// <summary>One rule, on lines of its own: a course of the new college (80 or more) exempts <paramref name="exempts"/>.</summary>
    private static string Rules(string college, int width, string exempts) => $$$"""
        [
          {
            "ruleId": "R-PORTAL-{{{width}}}",
            "programme": "CQU-SE-2025",
            "from": {"course": {"institution": "{{{college}}}", "code": "DB101"}, "minGrade": {"scheme": "PERCENTAGE", "value": "80"}},
            "exempts": ["{{{exempts}}}"],
            "effectiveFrom": "2025-01-01"
          }
        ]
        """;

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex Digits();
}
