using System.Net;
using System.Text.RegularExpressions;
using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.LoadGenerator.Fleet;
using CreditBank.LoadGenerator.Measures;
using CreditBank.TestSupport;
using Grpc.Core;

namespace CreditBank.LoadGenerator.Scenarios;

/// <summary>What the portal part measured: the account page and its second ledger page, each with every learner browsing (null: failed).</summary>
public sealed record PortalResult(int Learners, int OutcomesEach, ClosedLoopResult? AccountPage, ClosedLoopResult? LedgerPage);

/// <summary>
/// Scenario 7: learners browsing the portal, run as its own process on the distributed fleet. Each learner has outcomes
/// banked by an institution, registered at identity (verified), claimed their account, and signed in to the portal
/// through the real OpenID Connect flow (page → identity's authorize → its sign-in form → callback → the portal's
/// cookie); then all of them at once ask for their account page (or its next ledger page) again and again, each as a
/// browser of their own: an HttpClient with its own cookies and connection.
/// </summary>
public static partial class PortalBrowsing
{
    public const int Learners = 50;

    /// <summary>More than a ledger page (10 entries): every account has a second page.</summary>
    public const int OutcomesEach = 12;

    public static string UserName(int i) => $"portal-learner-{i:D2}";

    public static string Password(int i) => $"bench-password-{i:D2}";

    public static IEnumerable<(string DocumentNumber, string Name)> Documents() =>
        Enumerable.Range(0, Learners).Select(i => (CreditBank.LoadGenerator.Learners.DocumentNumber(LearnerRanges.Portal + i),
            CreditBank.LoadGenerator.Learners.Name(LearnerRanges.Portal + i)));

    /// <summary>
    /// The learners' outcomes submitted by a trusted institution (recognised at once), then each learner registered at
    /// identity, their account claimed with their own token once it holds every outcome, and signed in to the portal.
    /// </summary>
    public static async Task<IReadOnlyList<HttpClient>> PrepareAsync(DistributedBank bank, InstitutionClient institution, TimeSpan timeout)
    {
        var recognition = new RecognitionService.RecognitionServiceClient(institution.Recognition);
        var people = Documents().ToList();
        for (var i = 0; i < people.Count; i++)
        {
            for (var k = 0; k < OutcomesEach; k++)
            {
                var course = OutcomeLines.Course(LearnerRanges.Portal + i, k);
                await recognition.SubmitOutcomeAsync(new SubmitOutcomeRequest
                {
                    RequestId = Guid.NewGuid().ToString(),
                    InstitutionCode = institution.Code,
                    Learner = new CreditBank.Contracts.Recognition.V1.Learner
                    {
                        DocumentType = CreditBank.Contracts.Recognition.V1.DocumentType.ResidentIdCard,
                        DocumentNumber = people[i].DocumentNumber,
                        Name = people[i].Name,
                    },
                    Course = course,
                });
            }
        }

        using var registration = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false };
        var browsers = new List<HttpClient>();
        for (var i = 0; i < people.Count; i++)
        {
            var registered = await CreditBank.TestSupport.People.RegisterAsync(registration, bank.Identity.RestAddress, UserName(i), Password(i), people[i].Name, people[i].DocumentNumber);
            if (registered != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Registering {UserName(i)} at identity answered {(int)registered}.");
            }

            var accounts = new AccountsService.AccountsServiceClient(await bank.PersonAsync(UserName(i), Password(i), bank.Accounts));
            await ClaimOnceBankedAsync(accounts, people[i].DocumentNumber, timeout);
            browsers.Add(await SignInAsync(bank.PortalAddress, UserName(i), Password(i)));
        }

        return browsers;
    }

    /// <summary>Every learner's account page, each learner asking again as soon as it arrived.</summary>
    public static Task<ClosedLoopResult> AccountPagesAsync(IReadOnlyList<HttpClient> browsers, TimeSpan duration, TimeSpan warmUp) =>
        ClosedLoop.RunAsync(browsers.Count, duration, warmUp, n => PageAsync(browsers[(int)(n % browsers.Count)], "/learner/account"));

    /// <summary>Every learner's second ledger page (the account page with its <c>page</c> token, as its "next" link sends it).</summary>
    public static async Task<ClosedLoopResult> LedgerPagesAsync(IReadOnlyList<HttpClient> browsers, TimeSpan duration, TimeSpan warmUp)
    {
        var next = new string[browsers.Count];
        for (var i = 0; i < browsers.Count; i++)
        {
            var first = await PageAsync(browsers[i], "/learner/account");
            next[i] = WebUtility.HtmlDecode(NextLink().Match(first).Groups[1].Value);
            if (next[i].Length == 0)
            {
                throw new InvalidOperationException($"{UserName(i)}'s account page has no next ledger page.");
            }
        }

        return await ClosedLoop.RunAsync(browsers.Count, duration, warmUp, n => PageAsync(browsers[(int)(n % browsers.Count)], next[n % browsers.Count]));
    }

    /// <summary>
    /// A browser of its own signed in to the portal: the account page sends it to identity, whose sign-in form it fills
    /// in; identity sends it back through the portal's callback, which sets the session cookie, to the account page.
    /// </summary>
    public static async Task<HttpClient> SignInAsync(Uri portal, string userName, string password)
    {
        var browser = new HttpClient(new SocketsHttpHandler
        {
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        }) { BaseAddress = portal, Timeout = TimeSpan.FromSeconds(60) };
        using var signInPage = await browser.GetAsync("/learner/account");
        var identity = signInPage.RequestMessage!.RequestUri!;
        var form = Tokens.SignInForm(await signInPage.Content.ReadAsStringAsync(), userName, password);
        using var signedIn = await browser.PostAsync(new Uri(identity, "/account/login"), new FormUrlEncodedContent(form));
        var landed = signedIn.RequestMessage!.RequestUri!;
        var page = await signedIn.Content.ReadAsStringAsync();
        if (!signedIn.IsSuccessStatusCode || landed.AbsolutePath != "/learner/account" || !page.Contains("data-testid=\"total-credits\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{userName} did not arrive on their account page: {(int)signedIn.StatusCode} at {landed}");
        }

        return browser;
    }

    /// <summary>The page, read to its end; anything but the signed-in learner's page with their figures counts as failed.</summary>
    private static async Task<string> PageAsync(HttpClient browser, string path)
    {
        using var response = await browser.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || response.RequestMessage?.RequestUri?.Port != browser.BaseAddress!.Port
            || !html.Contains("data-testid=\"total-credits\"", StringComparison.Ordinal))
        {
            throw new HttpRequestException($"{path} did not answer the learner's page (landed on {response.RequestMessage?.RequestUri})", null, response.StatusCode);
        }

        return html;
    }

    /// <summary>Claims the account as its learner, once accounts holds every one of their outcomes.</summary>
    private static async Task ClaimOnceBankedAsync(AccountsService.AccountsServiceClient accounts, string documentNumber, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var claimed = false;
        while (true)
        {
            try
            {
                if (!claimed)
                {
                    await accounts.ClaimAccountAsync(new ClaimAccountRequest
                    {
                        DocumentType = CreditBank.Contracts.Accounts.V1.DocumentType.ResidentIdCard,
                        DocumentNumber = documentNumber,
                    });
                    claimed = true;
                }

                var ledger = await accounts.ListLedgerEntriesAsync(new ListLedgerEntriesRequest { AccountId = "me", PageSize = 100 });
                if (ledger.Entries.Count >= OutcomesEach)
                {
                    return;
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                // The account is opened by the first outcome's event: not yet.
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Accounts did not hold the learner's {OutcomesEach} outcomes within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(250);
        }
    }

    [GeneratedRegex("<a href=\"(/learner/account\\?page=[^\"]+)\" rel=\"next\">")]
    private static partial Regex NextLink();
}
