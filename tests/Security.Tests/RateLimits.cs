using System.Net;
using CreditBank.Identity;

namespace CreditBank.Security.Tests;

public sealed class RateLimits
{
    [Fact]
    public async Task Repeated_failed_sign_ins_and_token_requests_are_throttled()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var identity = await ServiceHost.StartAsync(b => b.AddIdentityProvider(), a => a.MapIdentityProvider(),
            new Dictionary<string, string?> { ["Identity:AttemptsPerMinute"] = "3" });
        var form = () => new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "college-4150012608", ["client_secret"] = "guess",
        });

        var statuses = new List<HttpStatusCode>();
        var retryAfter = new List<TimeSpan?>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await identity.Rest.PostAsync("/connect/token", form(), ct);
            statuses.Add(response.StatusCode);
            retryAfter.Add(response.Headers.RetryAfter?.Delta);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        // Every 429 says when to come back (within the minute's window).
        Assert.All(retryAfter[3..], wait => Assert.InRange(wait!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));
    }
}
