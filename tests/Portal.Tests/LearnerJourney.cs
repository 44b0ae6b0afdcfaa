using System.Globalization;
using Microsoft.Playwright;
using Xunit;

namespace CreditBank.Portal.Tests;

/// <summary>
/// A learner's whole journey in a browser, on a desk and on a phone: the identity service's real sign-in page, claiming
/// the account, the credits and their chart, the ledger with its reasons, the outcomes with their status, a what-if
/// with every verdict explained, applying, and signing out of both the portal and the identity service.
/// </summary>
[Collection(OnePortalSite.Name)]
public sealed class LearnerJourney(PortalSite site)
{
    /// <summary>Each journey's transcript id, by user: the second journey asks for the first one's.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Transcripts = new();

    /// <summary>王五's document (a valid number, but not the document of the learner signed in).</summary>
    private const string SomeoneElses = "500103200107150025";

    /// <summary>Width, demo learner (identity's Data/Seed/demo-people.json) and the document they were verified with.</summary>
    public static TheoryData<int, string, string, string> Learners => new()
    {
        { 1280, "zhangsan", "demo-learner-1", "500228200501011237" },
        { 375, "lisi", "demo-learner-2", "510104199903150029" },
    };

    [Theory]
    [MemberData(nameof(Learners))]
    public async Task A_learner_signs_in_claims_the_account_reads_credits_and_outcomes_and_tries_a_conversion(int width, string user, string password, string document)
    {
        var page = await site.NewPageAsync(width);

        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("欢迎使用学分银行");
        await page.CheckAsync(site, "01-home");

        // The identity service's own sign-in page, reached by the code flow with PKCE.
        await page.GetByRole(AriaRole.Link, new() { Name = "登录", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await page.ShootAsync(site, "02-identity-sign-in");
        await page.GetByLabel("User name (用户名)").FillAsync(user);
        await page.GetByLabel("Password (密码)").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in (登录)" }).ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith("/learner/account", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByText("您还没有认领学习账户")).ToBeVisibleAsync();
        await page.CheckAsync(site, "03-account-unclaimed");

        await page.GetByRole(AriaRole.Link, new() { Name = "认领学习账户" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/learner/claim", StringComparison.Ordinal));
        await page.CheckAsync(site, "04-claim");
        // Someone else's document first: the service's refusal is shown as the person's next step, in their language.
        await page.GetByLabel("证件号码").FillAsync(SomeoneElses);
        await page.GetByRole(AriaRole.Button, new() { Name = "认领", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("该证件不是您实名认证时使用的证件");
        await page.CheckAsync(site, "04-claim-refused");
        await page.GetByLabel("证件号码").FillAsync(document);
        await page.GetByRole(AriaRole.Button, new() { Name = "认领", Exact = true }).ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith("/learner/account", StringComparison.Ordinal));
        var total = double.Parse(await page.GetByTestId("total-credits").InnerTextAsync(), CultureInfo.InvariantCulture);
        Assert.True(total > 0, $"total credits {total}");
        await Assertions.Expect(page.Locator("figure.chart svg rect").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("figure.chart")).ToContainTextAsync("课程");
        var ledger = page.Locator("section[aria-labelledby=ledger] tbody tr");
        Assert.True(await ledger.CountAsync() > 0);
        await Assertions.Expect(ledger.First).ToContainTextAsync("存入");
        Assert.False(string.IsNullOrWhiteSpace(await ledger.First.Locator("td").Last.InnerTextAsync()), "a ledger entry without its reason");
        await page.CheckAsync(site, "05-account");
        await page.AssertFitsAsync();

        // The language switch changes the labels of a signed-in page, and comes back.
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("My learning account");
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" })).ToContainTextAsync("My outcomes");
        await page.CheckAsync(site, "06-account-en");
        await page.GetByRole(AriaRole.Link, new() { Name = "中文" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("我的学习账户");

        await page.GetByRole(AriaRole.Link, new() { Name = "我的学习成果" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/learner/outcomes", StringComparison.Ordinal));
        var outcomes = page.GetByTestId("outcome");
        Assert.True(await outcomes.CountAsync() >= 2);
        await Assertions.Expect(outcomes.Filter(new() { HasText = "已认定" }).First).ToBeVisibleAsync();
        await page.CheckAsync(site, "07-outcomes");
        await page.AssertFitsAsync();

        // A recognised outcome's verifiable credential, downloaded as its .jwt: an OB 3.0 OpenBadgeCredential.
        var credential = await page.RunAndWaitForDownloadAsync(() =>
            outcomes.Filter(new() { HasText = "已认定" }).First.GetByTestId("outcome-credential").ClickAsync());
        Assert.EndsWith(".jwt", credential.SuggestedFilename, StringComparison.Ordinal);
        Assert.Contains("\"OpenBadgeCredential\"", PayloadOf(await File.ReadAllTextAsync(await credential.PathAsync(), TestContext.Current.CancellationToken)), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "学分转换" }).ClickAsync();
        await page.GetByLabel("目标专业").SelectOptionAsync("CQU-SE-2025");
        await page.GetByRole(AriaRole.Button, new() { Name = "试算" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("programme=CQU-SE-2025", StringComparison.Ordinal));
        var verdicts = page.GetByTestId("verdict");
        Assert.True(await verdicts.CountAsync() >= 1);
        foreach (var verdict in await verdicts.AllAsync())
        {
            // Every outcome's verdict is explained in words.
            Assert.True((await verdict.Locator("p").Last.InnerTextAsync()).Trim().Length > 0);
        }

        await page.CheckAsync(site, "08-what-if");
        await page.AssertFitsAsync();

        if (user == "zhangsan")
        {
            // 数据结构 and the Web 前端 certificate exempt him from courses of 重庆大学's 软件工程: he applies.
            await page.GetByRole(AriaRole.Button, new() { Name = "提交转换申请" }).ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/learner/applications/", StringComparison.Ordinal));
            await Assertions.Expect(page.GetByTestId("application-status")).ToHaveTextAsync("待审核");
            await page.CheckAsync(site, "09-application");
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "我的申请", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/learner/applications", StringComparison.Ordinal));
        // Those of this journey (CQU-SE-2025): the institution's journey has 李四 apply to another programme.
        Assert.Equal(user == "zhangsan" ? 1 : 0, await page.GetByTestId("application").Filter(new() { HasText = "CQU-SE-2025" }).CountAsync());
        await page.CheckAsync(site, "10-applications");
        await page.AssertFitsAsync();

        // The transcript: issued at the learner's click, downloaded as its .jwt, verified by anyone through its link.
        await page.GetByRole(AriaRole.Link, new() { Name = "我的成绩单", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/learner/transcript", StringComparison.Ordinal));
        await page.CheckAsync(site, "11-transcript");
        await page.GetByRole(AriaRole.Button, new() { Name = "签发成绩单", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("transcript")).ToBeVisibleAsync();
        Assert.True(int.Parse(await page.GetByTestId("transcript-outcomes").InnerTextAsync(), CultureInfo.InvariantCulture) >= 1);
        await page.CheckAsync(site, "12-transcript-issued");
        await page.AssertFitsAsync();
        var transcriptId = (await page.GetByTestId("transcript-id").InnerTextAsync()).Trim();
        var file = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("transcript-download").ClickAsync());
        Assert.Equal($"{transcriptId}.jwt", file.SuggestedFilename);
        var transcriptJwt = await File.ReadAllTextAsync(await file.PathAsync(), TestContext.Current.CancellationToken);
        var transcript = PayloadOf(transcriptJwt);
        Assert.Contains("\"ClrCredential\"", transcript, StringComparison.Ordinal);
        Assert.Contains($"urn:uuid:{transcriptId}", transcript, StringComparison.Ordinal);
        // The link needs no sign-in (a fresh request context, no cookies), as for whoever scans it.
        var verificationUrl = await page.GetByTestId("verification-url").GetAttributeAsync("href");
        var anyone = await site.Playwright.APIRequest.NewContextAsync();
        var verification = await anyone.GetAsync(verificationUrl!);
        Assert.Equal(200, verification.Status);
        Assert.Contains("VERIFICATION_STATUS_VERIFIED", await verification.TextAsync(), StringComparison.Ordinal);
        await anyone.DisposeAsync();

        // The portal's verification page as a link and a QR code (a PNG) to give away; opened by someone who is not signed
        // in: the transcript and each entry verified.
        var verificationPage = await page.GetByTestId("verification-page").GetAttributeAsync("href");
        Assert.Equal($"{site.Address}verify/{transcriptId}", verificationPage);
        var qr = await page.GetByTestId("verification-qr").Locator("img").GetAttributeAsync("src");
        Assert.StartsWith("data:image/png;base64,", qr, StringComparison.Ordinal);
        Assert.Equal(verificationPage, await QrCodes.ReadAsync(Convert.FromBase64String(qr!["data:image/png;base64,".Length..])));
        var verifier = await site.NewPageAsync(width);
        await verifier.GotoAsync(verificationPage!);
        await Assertions.Expect(verifier.GetByTestId("verification-status")).ToHaveTextAsync("验证通过");
        await Assertions.Expect(verifier.GetByTestId("verification")).ToContainTextAsync("成绩单（CLR 2.0）");
        var entries = verifier.GetByTestId("verified-entry");
        Assert.True(await entries.CountAsync() >= 1);
        Assert.Equal(await entries.CountAsync(), await entries.Filter(new() { HasText = "验证通过" }).CountAsync());
        await verifier.CheckAsync(site, "13-verify");
        await verifier.AssertFitsAsync();
        // The downloaded file itself, pasted on the page without an id: verified as it is.
        await verifier.GotoAsync("/verify");
        await Assertions.Expect(verifier.GetByTestId("verification")).ToHaveCountAsync(0);
        await verifier.GetByLabel("凭证编号或 .jwt 内容").FillAsync(transcriptJwt);
        await verifier.GetByRole(AriaRole.Button, new() { Name = "验证", Exact = true }).ClickAsync();
        await Assertions.Expect(verifier.GetByTestId("verification-status")).ToHaveTextAsync("验证通过");
        await Assertions.Expect(verifier.GetByTestId("verification")).ToContainTextAsync(transcriptId);
        // Something that is not the bank's credential is said to be invalid, with why.
        await verifier.GetByLabel("凭证编号或 .jwt 内容").FillAsync("eyJhbGciOiJub25lIn0.eyJpc3MiOiJub2JvZHkifQ.");
        await verifier.GetByRole(AriaRole.Button, new() { Name = "验证", Exact = true }).ClickAsync();
        await Assertions.Expect(verifier.GetByTestId("verification-status")).ToHaveTextAsync("无效");
        await verifier.Context.CloseAsync();
        // Another learner's transcript is not found for this one (whichever of the two journeys runs second asks).
        foreach (var id in Transcripts.Values)
        {
            Assert.Equal(404, (await page.APIRequest.GetAsync($"/learner/credentials/{id}.jwt")).Status);
        }

        Transcripts[user] = transcriptId;

        // Signing out ends the identity service's session too: the next page asks for the password again.
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("欢迎使用学分银行");
        await page.GotoAsync("/learner/account");
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    /// <summary>The JSON payload of a compact JWS (header.payload.signature).</summary>
    private static string PayloadOf(string jwt)
    {
        return System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Trim().Split('.')[1]));
    }
}
