using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace CreditBank.Portal.Tests;

/// <summary>
/// An institution's staff (教务处 of 重庆电子工程职业学院, 4150012608) in a browser, on a desk and on a phone: a semester
/// file checked (its bad lines shown), uploaded with its progress to 100%, its line errors shown and downloaded as CSV;
/// an outcome revoked with a reason after a confirmation; a learner's conversion application into the college's
/// programme decided item by item. A learner asking for these pages is refused.
/// </summary>
[Collection(OnePortalSite.Name)]
public sealed class InstitutionJourney(PortalSite site)
{
    private const string Programme = "CQCET-ME-2025";

    /// <summary>Width, and the demo learner (identity's demo-people.json) the width's file and application are about.</summary>
    public static TheoryData<int, string, string, string, string> Widths => new()
    {
        { 1280, "wangwu", "demo-learner-3", "500103200107150025", "王五" },
        { 375, "lisi", "demo-learner-2", "510104199903150029", "李四" },
    };

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Staff_check_and_upload_a_semester_file_revoke_an_outcome_and_decide_a_conversion_item_by_item(
        int width, string learner, string password, string document, string name)
    {
        var page = await site.NewPageAsync(width);
        await SignInAsync(page);
        await page.WaitForURLAsync(url => url.EndsWith("/institution/upload", StringComparison.Ordinal));
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" });
        foreach (var link in new[] { "上传成果批次", "我的批次", "我的提交", "转换申请审批" })
        {
            await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = link })).ToBeVisibleAsync();
        }

        await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = "我的学习账户" })).ToHaveCountAsync(0);
        await page.CheckAsync(site, "50-staff-upload");
        await page.AssertFitsAsync();

        // The dry run: every line checked, nothing stored; lines 3 and 5 are wrong (a term that does not exist, no credits).
        await page.GetByLabel("CSV 文件").SetInputFilesAsync(new FilePayload
        {
            Name = $"semester-{width}.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(Semester(width, document, name)),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "试运行检查" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("dry-invalid")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByTestId("dry-accepted")).ToHaveTextAsync("2");
        var problems = page.GetByTestId("line-problem");
        await Assertions.Expect(problems.Filter(new() { HasText = "course.term" })).ToContainTextAsync("3");
        await Assertions.Expect(problems.Filter(new() { HasText = "course.credits" })).ToContainTextAsync("5");
        await page.CheckAsync(site, "51-staff-dry-run");
        await page.AssertFitsAsync();

        // For real: the batch's page follows it to 100%, then lists the two line errors.
        await page.GetByRole(AriaRole.Button, new() { Name = "正式上传" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/institution/batches/", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("batch-progress")).ToHaveAttributeAsync("value", "100");
        await Assertions.Expect(page.GetByTestId("batch-percent")).ToHaveTextAsync("100%");
        await Assertions.Expect(page.GetByTestId("batch-accepted")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByTestId("batch-invalid")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByTestId("line-problem")).ToHaveCountAsync(2);
        await page.CheckAsync(site, "52-staff-batch");
        await page.AssertFitsAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Batch");
        await Assertions.Expect(page.GetByTestId("line-problem").First).ToContainTextAsync("Invalid");
        await page.AssertLabelsInEnglishAsync("h1, h2, th, dt, nav a, .hint, main > p, [data-testid=line-problem] td:nth-child(2)");
        await page.CheckAsync(site, "52-staff-batch-en");
        await page.GetByRole(AriaRole.Link, new() { Name = "中文" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("批次详情");

        // The line errors as a file: one row per problem, with the line numbers of the file.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("problems-csv").ClickAsync());
        var errors = (await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken)).TrimStart('\uFEFF').ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal("line_number,result,field,reason,description", errors[0]);
        Assert.Equal(3, errors.Length);
        Assert.StartsWith("3,INVALID,course.term,", errors[1], StringComparison.Ordinal);
        Assert.StartsWith("5,INVALID,course.credits,", errors[2], StringComparison.Ordinal);

        await nav.GetByRole(AriaRole.Link, new() { Name = "我的批次" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/institution/batches", StringComparison.Ordinal));
        Assert.True(await page.GetByTestId("batch").CountAsync() >= 1);
        await page.CheckAsync(site, "53-staff-batches");
        await page.AssertFitsAsync();

        // Revoke the course of line 2 (submitted in error), after a confirmation.
        await nav.GetByRole(AriaRole.Link, new() { Name = "我的提交" }).ClickAsync();
        await page.GetByLabel("学期").FillAsync("2025-2026-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        var course = page.GetByTestId("staff-outcome").Filter(new() { HasText = $"PT{width}" });
        await Assertions.Expect(course).ToContainTextAsync("已认定");
        await page.CheckAsync(site, "54-staff-outcomes");
        await page.AssertFitsAsync();
        await course.GetByRole(AriaRole.Link, new() { Name = "撤销" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/revoke", StringComparison.Ordinal));
        await page.GetByLabel("撤销原因").SelectOptionAsync("SubmittedInError");
        await page.GetByLabel("给学习者的说明").FillAsync("该课程成绩录入有误，将重新提交。");
        await page.GetByRole(AriaRole.Button, new() { Name = "下一步：确认" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("revoke-confirm")).ToContainTextAsync("误报");
        await Assertions.Expect(page.GetByTestId("revoke-status")).ToHaveTextAsync("已认定");
        await page.CheckAsync(site, "55-staff-revoke-confirm");
        await page.AssertFitsAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "确认撤销" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("revoke-status")).ToHaveTextAsync("已撤销");
        await page.CheckAsync(site, "56-staff-revoked");

        // The learner applies (through the public contract) with the certificate of line 4; the staff decide the item.
        var applicationId = await ApplyAsync(learner, password);
        await nav.GetByRole(AriaRole.Link, new() { Name = "转换申请审批" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/institution/conversions", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator($"a[href='/institution/conversions/{applicationId}']")).ToBeVisibleAsync();
        await page.CheckAsync(site, "57-staff-conversions");
        await page.AssertFitsAsync();
        await page.Locator($"a[href='/institution/conversions/{applicationId}']").ClickAsync();
        // The certificate's item (李四's application has a second one, from his 四川工程职业技术学院 course): explained, decided on its own.
        var robot = page.GetByTestId("decide-item").Filter(new() { HasText = "R-IR-ME201" });
        await Assertions.Expect(robot.GetByTestId("item-explanation")).ToContainTextAsync("工业机器人操作与运维职业技能等级证书");
        await Assertions.Expect(robot.GetByTestId("item-explanation")).ToContainTextAsync("ME201 工业机器人操作");
        await Assertions.Expect(robot.GetByTestId("item-decision")).ToHaveTextAsync("待决定");
        await page.CheckAsync(site, "58-staff-decide");
        await page.AssertFitsAsync();
        var accept = width == 1280;
        await robot.GetByLabel(accept ? "同意" : "不同意", new() { Exact = true }).CheckAsync();
        await robot.GetByRole(AriaRole.Textbox).FillAsync(accept ? "证书与课程内容相符" : "证书等级不足以免修该课程");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交决定" }).ClickAsync();
        await Assertions.Expect(robot.GetByTestId("item-decision")).ToHaveTextAsync(accept ? "已接受" : "未接受");

        // Then every item still undecided, accepted: the application is decided.
        var undecided = page.GetByTestId("decide-item").Filter(new() { Has = page.GetByRole(AriaRole.Radio) });
        if (await undecided.CountAsync() > 0)
        {
            await Assertions.Expect(page.GetByTestId("decide-status")).ToHaveTextAsync("待审核");
            foreach (var other in await undecided.AllAsync())
            {
                await other.GetByLabel("同意", new() { Exact = true }).CheckAsync();
            }

            await page.GetByRole(AriaRole.Button, new() { Name = "提交决定" }).ClickAsync();
        }

        await Assertions.Expect(page.GetByTestId("decide-status")).ToHaveTextAsync("已决定");
        await page.CheckAsync(site, "59-staff-decided");
        await page.AssertFitsAsync();

        // The decision's page in English (its own words; the programme's and outcomes' names are the bank's).
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Decide a conversion application");
        await Assertions.Expect(robot.GetByTestId("item-explanation")).ToContainTextAsync("Under rule R-IR-ME201");
        await page.AssertLabelsInEnglishAsync("h1, label, button, dt, nav a, .hint, main > p");
        await page.CheckAsync(site, "59-staff-decided-en");
        await page.GetByRole(AriaRole.Link, new() { Name = "中文" }).ClickAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_learner_is_refused_the_institution_pages_and_the_error_file()
    {
        var page = await site.NewPageAsync(1280);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "登录", Exact = true }).ClickAsync();
        await page.GetByLabel("User name (用户名)").FillAsync("wangwu");
        await page.GetByLabel("Password (密码)").FillAsync("demo-learner-3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in (登录)" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/learner/account", StringComparison.Ordinal));
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" });
        await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = "上传成果批次" })).ToHaveCountAsync(0);

        foreach (var path in new[] { "/institution/upload", "/institution/batches", "/institution/outcomes", "/institution/conversions",
            $"/institution/batches/{Guid.NewGuid()}/problems.csv" })
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("欢迎使用学分银行");
            Assert.DoesNotContain("/institution", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        }

        await page.Context.CloseAsync();
    }

    internal static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "登录", Exact = true }).ClickAsync();
        await page.GetByLabel("User name (用户名)").FillAsync("college-staff");
        await page.GetByLabel("Password (密码)").FillAsync("demo-staff-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in (登录)" }).ClickAsync();
    }

    /// <summary>
    /// A semester's file of five lines: a course (line 2), a course in a term that does not exist (3), an industrial
    /// robot certificate (4, exempting from ME201 of the college's 机电一体化技术), a course of no credits (5).
    /// </summary>
    private static string Semester(int width, string document, string name) => $"""
        kind,document_number,name,course_code,title,credits,hours,term,grade_scheme,grade,certificate_name,level,certificate_number,issue_date
        COURSE,{document},{name},PT{width},门户测试课程,2,32,2025-2026-2,FIVE_LEVEL,良,,,,
        COURSE,{document},{name},PX{width},学期写错的课程,2,32,2025-2026-9,FIVE_LEVEL,良,,,,
        SKILL_CERTIFICATE,{document},{name},,,,,,,,工业机器人操作与运维职业技能等级证书,初级,IR-PORTAL-{width},2025-06-30
        COURSE,{document},{name},PY{width},没有学分的课程,0,32,2025-2026-2,FIVE_LEVEL,良,,,,

        """;

    /// <summary>The learner's application into the college's programme, once the certificate reached conversion (through events).</summary>
    private async Task<string> ApplyAsync(string learner, string password)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        var token = await CreditBank.TestSupport.Tokens.ForPersonAsync(handler, learner, password, "openid conversions.apply accounts.read", site.Address);
        using var http = new HttpClient { BaseAddress = site.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var evaluated = await http.PostAsJsonAsync("/v1/conversions:evaluate", new { programmeCode = Programme }, TestContext.Current.CancellationToken);
            var body = await evaluated.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(evaluated.IsSuccessStatusCode, body);
            if (body.Contains("ME201", StringComparison.Ordinal))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the certificate never reached conversion: {body}");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        using var applied = await http.PostAsJsonAsync("/v1/conversions", new { requestId = $"portal-{learner}-{Guid.NewGuid():N}", programmeCode = Programme },
            TestContext.Current.CancellationToken);
        var application = await applied.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(applied.IsSuccessStatusCode, application);
        return JsonDocument.Parse(application).RootElement.GetProperty("application").GetProperty("applicationId").GetString()!;
    }
}
