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

        // The verification page, for whoever received a transcript, in English too.
        await page.GetByRole(AriaRole.Link, new() { Name = "Verify it here" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Verify a transcript or credential");
        await page.GetByLabel("Credential id or .jwt content").FillAsync("not-a-credential");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("verification-status")).ToHaveTextAsync("Invalid");
        await page.AssertLabelsInEnglishAsync();
        Assert.Equal("中文", await page.ChineseShownAsync());
        await page.CheckAsync(site, "11-verify-en");

        // Chinese comes back on the page the person is on.
        await page.GetByRole(AriaRole.Link, new() { Name = "中文" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("验证成绩单或凭证");
        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_english_switch_changes_every_label_of_the_administrators_pages()
    {
        var page = await site.NewPageAsync(1280);
        await AdministratorJourney.SignInAsync(page);
        await page.WaitForURLAsync(url => url.EndsWith("/admin/institutions", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();

        foreach (var (path, title, shot) in new[]
        {
            ("/admin/institutions", "Institutions and clients", "41-admin-institutions-en"),
            ("/admin/workstations", "Workstations and reviewers", "42-admin-workstations-en"),
            ("/admin/programmes", "Programmes and rules", "43-admin-programmes-en"),
            ("/admin/audit", "Audit log", "44-admin-audit-en"),
        })
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
            await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" })).ToContainTextAsync("Audit log");
            await page.AssertLabelsInEnglishAsync();
            await page.CheckAsync(site, shot);
        }

        // The kinds of institution are the bank's Chinese words: the choices read in English.
        await page.GotoAsync("/admin/institutions");
        var kinds = await page.Locator("#kind option").AllInnerTextsAsync();
        Assert.Contains("Higher vocational college", kinds);
        await page.AssertLabelsInEnglishAsync("#kind option, #region option, #trust option");

        // A service's refusal, in English: an institution never registered.
        await page.GotoAsync("/admin/institutions/4159999999");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("No institution is registered at the identity service under this code.");
        await page.AssertLabelsInEnglishAsync("h1, [role=alert] strong, main a, nav a");
        await page.CheckAsync(site, "45-admin-not-found-en");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_english_switch_changes_every_label_of_the_institution_pages()
    {
        var page = await site.NewPageAsync(1280);
        await InstitutionJourney.SignInAsync(page);
        await page.WaitForURLAsync(url => url.EndsWith("/institution/upload", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();

        // Outcome titles and learners' names are what the bank holds (Chinese in any language): the cards' headings and terms' values are left out.
        foreach (var (path, title, shot, labels) in new[]
        {
            ("/institution/upload", "Upload a batch of outcomes", "60-staff-upload-en", "h1, h2, label, th, button, dt, nav a, .hint, main > p, option"),
            ("/institution/batches", "My batches", "61-staff-batches-en", "h1, label, th, button, nav a, .hint, main > p, option"),
            ("/institution/outcomes", "My submissions", "62-staff-outcomes-en", "h1, label, button, dt, nav a, .hint, main > p, option, .card a"),
            ("/institution/conversions", "Conversion applications", "63-staff-conversions-en", "h1, label, th, button, nav a, .hint, main > p, option"),
        })
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
            await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" })).ToContainTextAsync("Conversion applications");
            await page.AssertLabelsInEnglishAsync(labels);
            await page.CheckAsync(site, shot);
        }

        // The revocation of one of the college's demo outcomes, both steps (nothing is revoked: the second step is not confirmed).
        await page.GotoAsync("/institution/outcomes?status=Recognised");
        await page.GetByRole(AriaRole.Link, new() { Name = "Revoke" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Revoke an outcome");
        await page.AssertLabelsInEnglishAsync("h1, label, button, dt, nav a, .hint, option");
        await page.GetByLabel("Words for the learner").FillAsync("Checking the English labels.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next: confirm" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("revoke-confirm")).ToContainTextAsync("Submitted in error");
        await page.AssertLabelsInEnglishAsync("h1, [data-testid=revoke-confirm] h2, [data-testid=revoke-confirm] p, button, dt, nav a");
        await page.CheckAsync(site, "64-staff-revoke-en");

        // A refusal in English: a file that is not there any more.
        await page.GotoAsync("/institution/upload?check=portal-gone");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That file is no longer kept");
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
