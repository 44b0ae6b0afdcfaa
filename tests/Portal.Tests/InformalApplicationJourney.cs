using System.Security.Cryptography;
using System.Text;
using Microsoft.Playwright;
using Xunit;

namespace CreditBank.Portal.Tests;

/// <summary>
/// 张三 applies for recognition of a MOOC himself with a PDF certificate (申请认定非正式学习成果) and sees it pending; the
/// reviewer of his workstation (梁平工作站) sees the file, downloads it, claims the task and recognises it; 张三 then sees
/// it recognised — on a desk and on a phone.
/// </summary>
[Collection(OnePortalSite.Name)]
public sealed class InformalApplicationJourney(PortalSite site)
{
    public static TheoryData<int> Widths => new() { 1280, 375 };

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task A_learner_applies_with_a_pdf_and_the_reviewer_downloads_it_and_recognises_it(int width)
    {
        var title = $"Python 程序设计 {width}-{Guid.NewGuid().ToString("N")[..6]}";
        var pdf = Encoding.ASCII.GetBytes($"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {title}\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        var learner = await site.NewPageAsync(width);
        await SignInAsync(learner, "zhangsan", "demo-learner-1", "/learner/account");

        await learner.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "申请认定" }).ClickAsync();
        await learner.WaitForURLAsync(url => url.EndsWith("/learner/apply", StringComparison.Ordinal));
        await Assertions.Expect(learner.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("申请认定非正式学习成果");
        await learner.CheckAsync(site, "50-apply");
        await learner.AssertFitsAsync();
        if (width == 1280)
        {
            // Every label of the new page has its English words.
            await learner.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
            await Assertions.Expect(learner.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Apply for recognition of informal learning");
            await learner.AssertLabelsInEnglishAsync("h1, h2, label, button, nav a, .hint, main > p, #type option");
            await learner.CheckAsync(site, "51-apply-en");
            await learner.GetByRole(AriaRole.Link, new() { Name = "中文" }).ClickAsync();
            await Assertions.Expect(learner.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("申请认定非正式学习成果");
        }

        // A program renamed .pdf first: refused by its content, and said as the next step.
        await FillAsync(learner, title, new FilePayload { Name = "certificate.pdf", MimeType = "application/pdf", Buffer = [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0] });
        await learner.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        await Assertions.Expect(learner.GetByRole(AriaRole.Alert)).ToContainTextAsync("证明材料只能是 PDF、JPG 或 PNG 文件");
        await learner.CheckAsync(site, "52-apply-refused");

        await FillAsync(learner, title, new FilePayload { Name = "结业证书.pdf", MimeType = "application/pdf", Buffer = pdf });
        await learner.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        await learner.WaitForURLAsync(url => url.Contains("/learner/outcomes?applied=1", StringComparison.Ordinal));
        await Assertions.Expect(learner.GetByTestId("applied")).ToBeVisibleAsync();
        var card = learner.GetByTestId("outcome").Filter(new() { HasText = title });
        await Assertions.Expect(card).ToContainTextAsync("待审核");
        await Assertions.Expect(card.GetByRole(AriaRole.Link, new() { Name = "结业证书.pdf" })).ToBeVisibleAsync();
        var href = await card.GetByRole(AriaRole.Link, new() { Name = "结业证书.pdf" }).GetAttributeAsync("href");
        var outcomeId = href!.Split('/')[2];
        await learner.CheckAsync(site, "53-outcomes-pending");
        await learner.AssertFitsAsync();

        var reviewer = await site.NewPageAsync(width);
        await SignInAsync(reviewer, "reviewer-liangping", "demo-reviewer", "/reviewer/queue");
        await reviewer.GotoAsync($"/reviewer/tasks/{outcomeId}");
        await Assertions.Expect(reviewer.GetByTestId("task-status")).ToHaveTextAsync("待审核");
        var evidence = reviewer.GetByTestId("evidence").GetByRole(AriaRole.Link, new() { Name = "结业证书.pdf" });
        await Assertions.Expect(evidence).ToBeVisibleAsync();
        await reviewer.CheckAsync(site, "54-review-task-evidence");
        await reviewer.AssertFitsAsync();

        // The download: the same bytes, as an attachment of its real type, never sniffed into another.
        var download = await reviewer.RunAndWaitForDownloadAsync(() => evidence.ClickAsync());
        Assert.Equal("结业证书.pdf", download.SuggestedFilename);
        var downloaded = await File.ReadAllBytesAsync((await download.PathAsync())!, TestContext.Current.CancellationToken);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), Convert.ToHexStringLower(SHA256.HashData(downloaded)));
        var response = await reviewer.Context.APIRequest.GetAsync(href);
        Assert.Equal(200, response.Status);
        Assert.Equal("application/pdf", response.Headers["content-type"]);
        Assert.StartsWith("attachment", response.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers["x-content-type-options"]);

        await reviewer.GetByRole(AriaRole.Button, new() { Name = "认领此任务" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByLabel("认证单元")).ToHaveValueAsync("GEN-MOOC");
        await reviewer.GetByLabel("学分", new() { Exact = true }).FillAsync("2");
        await reviewer.GetByLabel("审核意见").First.FillAsync("证书与平台记录一致");
        await reviewer.CheckAsync(site, "55-review-informal-claimed");
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "予以认定" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByTestId("task-status")).ToHaveTextAsync("已认定");
        await reviewer.Context.CloseAsync();

        await learner.GotoAsync("/learner/outcomes");
        await Assertions.Expect(learner.GetByTestId("outcome").Filter(new() { HasText = title })).ToContainTextAsync("已认定");
        await learner.CheckAsync(site, "56-outcomes-recognised");
        await learner.Context.CloseAsync();
    }

    private static async Task FillAsync(IPage page, string title, FilePayload file)
    {
        await page.GetByLabel("类型").SelectOptionAsync("Mooc");
        await page.GetByLabel("名称").FillAsync(title);
        await page.GetByLabel("平台或单位").FillAsync("中国大学MOOC");
        await page.GetByLabel("学时或工作小时数").FillAsync("48");
        await page.GetByLabel("完成日期").FillAsync("2026-06-30");
        await page.GetByLabel("证明材料").SetInputFilesAsync(file);
    }

    private static async Task SignInAsync(IPage page, string user, string password, string landing)
    {
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "登录", Exact = true }).ClickAsync();
        await page.GetByLabel("User name (用户名)").FillAsync(user);
        await page.GetByLabel("Password (密码)").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in (登录)" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith(landing, StringComparison.Ordinal));
    }
}
