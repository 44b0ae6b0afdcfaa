using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace CreditBank.Portal.Tests;

/// <summary>
/// A workstation's reviewer (梁平工作站) in a browser: the queue with its count, a task claimed, then recognised with the
/// suggested unit and credits, after which the outcome reads as recognised and leaves the queue.
/// </summary>
[Collection(OnePortalSite.Name)]
public sealed class ReviewerJourney(PortalSite site)
{
    public static TheoryData<int> Widths => new() { 1280, 375 };

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task A_reviewer_claims_a_task_of_the_workstation_queue_and_recognises_it(int width)
    {
        // An untrusted training school submits 张三's certificate: it waits at 梁平工作站, the workstation of his district.
        var outcomeId = await SubmitForReviewAsync($"2026-WEB-{width:D6}");
        var page = await site.NewPageAsync(width);

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "登录", Exact = true }).ClickAsync();
        await page.GetByLabel("User name (用户名)").FillAsync("reviewer-liangping");
        await page.GetByLabel("Password (密码)").FillAsync("demo-reviewer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in (登录)" }).ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith("/reviewer/queue", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("WS-LIANGPING");
        var waiting = int.Parse(await page.GetByTestId("queue-count").Locator("strong").InnerTextAsync());
        Assert.True(waiting >= 1);
        await page.CheckAsync(site, "20-review-queue");
        await page.AssertFitsAsync();

        // Not an administrator: the navigation does not offer the administrators' pages, and asking for one is refused
        // as the portal refuses any page not the person's (to the home page).
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" });
        await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = "审核队列" })).ToBeVisibleAsync();
        await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = "机构与客户端" })).ToHaveCountAsync(0);
        await page.GotoAsync("/admin/institutions");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("欢迎使用学分银行");
        Assert.DoesNotContain("/admin/institutions", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await page.GotoAsync("/reviewer/queue");

        await page.Locator($"a[href='/reviewer/tasks/{outcomeId}']").ClickAsync();
        await Assertions.Expect(page.GetByTestId("task-status")).ToHaveTextAsync("待审核");
        await page.CheckAsync(site, "21-review-task");
        await page.GetByRole(AriaRole.Button, new() { Name = "认领此任务" }).ClickAsync();

        await Assertions.Expect(page.GetByLabel("认证单元")).ToHaveValueAsync("1X-WEB-2");
        await page.GetByLabel("审核意见").First.FillAsync("证书经核验真实");
        await page.CheckAsync(site, "22-review-claimed");
        await page.AssertFitsAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "予以认定" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("task-status")).ToHaveTextAsync("已认定");
        await page.CheckAsync(site, "23-review-recognised");
        await page.GetByRole(AriaRole.Link, new() { Name = "返回审核队列" }).ClickAsync();
        await Assertions.Expect(page.Locator($"a[href='/reviewer/tasks/{outcomeId}']")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    private async Task<string> SubmitForReviewAsync(string certificateNumber)
    {
        using var http = new HttpClient { BaseAddress = site.Address };
        using var token = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "trainer-92500112MA5YQ8H21C", ["client_secret"] = "demo-trainer-secret",
        }));
        var accessToken = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/outcomes")
        {
            Content = JsonContent.Create(new
            {
                requestId = Guid.NewGuid().ToString(),
                institutionCode = "92500112MA5YQ8H21C",
                learner = new { documentType = "DOCUMENT_TYPE_RESIDENT_ID_CARD", documentNumber = "500228200501011237", name = "张三" },
                skillCertificate = new
                {
                    certificateName = "Web 前端开发职业技能等级证书", level = "SKILL_LEVEL_INTERMEDIATE",
                    certificateNumber, issueDate = "2025-06-30",
                },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var submitted = await http.SendAsync(request);
        var body = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement;
        Assert.True(submitted.IsSuccessStatusCode, body.ToString());
        Assert.Equal("OUTCOME_STATUS_PENDING_REVIEW", body.GetProperty("status").GetString());
        return body.GetProperty("outcomeId").GetString()!;
    }
}
