using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.TestSupport;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CreditBank.LoadGenerator.Smoke;

/// <summary>Where a deployed bank answers: identity's REST address, and each service's REST and gRPC addresses.</summary>
public sealed record DeployedBank(Uri Identity, Uri RecognitionGrpc, Uri AccountsRest, Uri AccountsGrpc, Uri ConversionGrpc)
{
    /// <summary>From <c>--identity URL --recognition-grpc URL --accounts URL --accounts-grpc URL --conversion-grpc URL</c>.</summary>
    public static DeployedBank FromOptions(Func<string, string?> option) => new(
        Required(option, "--identity"), Required(option, "--recognition-grpc"), Required(option, "--accounts"),
        Required(option, "--accounts-grpc"), Required(option, "--conversion-grpc"));

    private static Uri Required(Func<string, string?> option, string name) =>
        new(option(name) ?? throw new ArgumentException($"{name} URL is required"));
}

/// <summary>
/// The bank's main story against a deployed bank (make k8s-smoke: the local overlay under podman): every service
/// ready, an institution submits an outcome, the learner's account is credited, and the balance reads back over REST.
/// Prints one line per step; any failure throws.
/// </summary>
public static class MainStory
{
    public static async Task RunAsync(DeployedBank bank, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = bank.Identity, Timeout = TimeSpan.FromSeconds(10) };
        var issuer = await Until(timeout, async () =>
        {
            using var discovery = await http.GetAsync("/.well-known/openid-configuration");
            return discovery.IsSuccessStatusCode
                ? JsonDocument.Parse(await discovery.Content.ReadAsStringAsync()).RootElement.GetProperty("issuer").GetString()
                : null;
        }, "identity's discovery document");
        Say($"identity answers discovery at {bank.Identity} (issuer {issuer})");

        foreach (var (name, address) in new[] { ("recognition", bank.RecognitionGrpc), ("accounts", bank.AccountsGrpc), ("conversion", bank.ConversionGrpc) })
        {
            using var channel = GrpcChannel.ForAddress(address);
            var health = new Health.HealthClient(channel);
            await Until(timeout, async () =>
                (await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5))).Status
                    == HealthCheckResponse.Types.ServingStatus.Serving ? "SERVING" : null,
                $"{name} to report SERVING");
            Say($"{name} reports SERVING on {address}");
        }

        var college = Tokens.ClientOf(Requests.TrustedCollege);
        var collegeToken = await Tokens.ForClientAsync(http, college.ClientId, college.ClientSecret!);
        var administratorToken = await Tokens.ForPersonAsync(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false },
            "admin", "demo-admin", baseAddress: bank.Identity);
        Say("tokens issued: the college (client credentials) and an administrator (sign-in page, code + PKCE)");

        // A learner no other run uses: the smoke may run again against the same databases.
        var document = Learners.DocumentNumber(Random.Shared.NextInt64(1_000_000, 10_000_000));
        using var recognitionChannel = GrpcChannel.ForAddress(bank.RecognitionGrpc);
        var recognition = new RecognitionService.RecognitionServiceClient(recognitionChannel.WithToken(collegeToken));
        var submitted = await recognition.SubmitOutcomeAsync(Requests.Course(document, credits: 3, title: $"计算机网络 {Guid.NewGuid():N}"));
        if (submitted.Status != OutcomeStatus.Recognised)
        {
            throw new InvalidOperationException($"The outcome was {submitted.Status}, not recognised: {submitted.StatusReason}");
        }

        Say($"submitted outcome {submitted.OutcomeId} as {Requests.TrustedCollege}: {submitted.Status}, {submitted.Credits} credits");

        var submittedAt = clock.Elapsed;
        using var accountsChannel = GrpcChannel.ForAddress(bank.AccountsGrpc);
        var accounts = new AccountsService.AccountsServiceClient(accountsChannel.WithToken(administratorToken));
        var account = await accounts.WaitForLedgerAsync(document, 1, timeout);
        if (account.TotalCredits != submitted.Credits)
        {
            throw new InvalidOperationException($"The account holds {account.TotalCredits} credits, not the {submitted.Credits} submitted.");
        }

        Say($"account {account.Account.AccountId} credited: {account.TotalCredits} credits in {account.LedgerEntryCount} ledger entry, " +
            $"{(clock.Elapsed - submittedAt).TotalSeconds:0.0} s after the submission");

        using var rest = new HttpClient { BaseAddress = bank.AccountsRest, Timeout = TimeSpan.FromSeconds(10) };
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/v1/accounts/{account.Account.AccountId}");
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", administratorToken);
        using var answer = await rest.SendAsync(read);
        var body = await answer.Content.ReadAsStringAsync();
        if (!answer.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET /v1/accounts/{account.Account.AccountId} answered {(int)answer.StatusCode}: {body}");
        }

        var total = JsonDocument.Parse(body).RootElement.GetProperty("totalCredits").GetDouble();
        if (total != submitted.Credits)
        {
            throw new InvalidOperationException($"REST reads {total} credits, not {submitted.Credits}: {body}");
        }

        Say($"read back over REST: GET {bank.AccountsRest}v1/accounts/{account.Account.AccountId} → totalCredits {total}");
        Say($"main story passed in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task<T> Until<T>(TimeSpan timeout, Func<Task<T?>> probe, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await probe() is { } done)
                {
                    return done;
                }
            }
            catch (Exception e) when (e is HttpRequestException or RpcException or TaskCanceledException)
            {
                last = e;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"Gave up after {timeout.TotalSeconds:0} s waiting for {what}. Last error: {last?.Message ?? "none"}");
    }

    private static void Say(string line) => Console.WriteLine($"k8s-smoke: {line}");
}
