using CreditBank.Contracts.Recognition.V1;
using CreditBank.Identity;
using CreditBank.Recognition;
using System.Net;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Validation;

namespace CreditBank.Security.Tests;

/// <summary>
/// A service validates a token with OpenIddict once and then remembers it until it expires: what it accepts and refuses
/// stays exactly what OpenIddict accepts and refuses.
/// </summary>
public sealed class RememberedTokens
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_valid_token_is_checked_once_and_each_token_still_acts_as_whom_it_names()
    {
        var validations = new Validations();
        await using var host = await StartAsync(validations, tokenLifetime: null);
        var college = await TokenOf(host, Requests.TrustedCollege);
        var other = await TokenOf(host, "4150010611");
        var submitted = await Recognition(host, college).SubmitOutcomeAsync(Requests.Course(documentNumber: Requests.ResidentId(950)), cancellationToken: _ct);
        var afterFirst = validations.Count;

        for (var i = 0; i < 5; i++)
        {
            await Recognition(host, college).GetOutcomeAsync(new() { OutcomeId = submitted.OutcomeId }, cancellationToken: _ct);
        }

        var afterRepeats = validations.Count;
        // Another institution's token is its own: remembered separately, and it does not see the college's outcome.
        var notTheirs = await Assert.ThrowsAsync<RpcException>(() =>
            Recognition(host, other).GetOutcomeAsync(new() { OutcomeId = submitted.OutcomeId }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(1, afterFirst);
        Assert.Equal(1, afterRepeats);
        Assert.Equal(2, validations.Count);
        Assert.Equal(StatusCode.NotFound, notTheirs.StatusCode);
    }

    [Fact]
    public async Task A_forged_token_is_refused_every_time_even_beside_the_genuine_one_it_was_made_from()
    {
        var validations = new Validations();
        await using var host = await StartAsync(validations, tokenLifetime: null);
        var genuine = await TokenOf(host, Requests.TrustedCollege);
        await Read(host, genuine);
        var forged = Forged(genuine);

        var first = await Assert.ThrowsAsync<RpcException>(() => Read(host, forged));
        var again = await Assert.ThrowsAsync<RpcException>(() => Read(host, forged));

        Assert.Equal(StatusCode.Unauthenticated, first.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, again.StatusCode);
        Assert.Equal(3, validations.Count); // the genuine token once, the forged one each time
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_it_expires()
    {
        var validations = new Validations();
        var lifetime = TimeSpan.FromSeconds(6);
        await using var host = await StartAsync(validations, tokenLifetime: lifetime);
        var token = await TokenOf(host, Requests.TrustedCollege);
        await Read(host, token);
        await Read(host, token);

        // Measured from the token's own expiry (its exp claim, read by the test from its own token): on a busy machine
        // the server may issue the token seconds after it was asked for (with a wait counted from the request, the
        // token was once still valid at the "expired" read).
        var untilExpired = ExpiresAt(token) + TimeSpan.FromSeconds(1) - DateTimeOffset.UtcNow;
        if (untilExpired > TimeSpan.Zero)
        {
            await Task.Delay(untilExpired, _ct);
        }

        var expired = await Assert.ThrowsAsync<RpcException>(() => Read(host, token));

        Assert.Equal(StatusCode.Unauthenticated, expired.StatusCode);
    }

    [Fact]
    public async Task A_remembered_token_never_enters_OpenIddict_and_a_refused_call_still_gets_OpenIddicts_challenge()
    {
        var validations = new Validations();
        var offers = new Validations();
        await using var host = await StartAsync(validations, tokenLifetime: null, offers);
        var token = await TokenOf(host, Requests.TrustedCollege);
        var offersBefore = offers.Count;
        await Read(host, token);
        var offersAfterFirst = offers.Count - offersBefore;
        for (var i = 0; i < 5; i++)
        {
            await Read(host, token);
        }

        var offersAfterRepeats = offers.Count - offersBefore;
        var forged = Forged(token);
        var anonymous = await host.Rest.GetAsync($"/v1/outcomes/{Guid.NewGuid()}", _ct);
        var refused = await host.Rest.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/outcomes/{Guid.NewGuid()}").WithToken(forged), _ct);
        var remembered = await host.Rest.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/outcomes/{Guid.NewGuid()}").WithToken(token), _ct);

        Assert.Equal(1, offersAfterFirst);
        Assert.Equal(1, offersAfterRepeats); // OpenIddict was offered the first call only
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.StartsWith("Bearer", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, remembered.StatusCode);
    }

    /// <summary>An authenticated read: NOT_FOUND for an outcome nobody submitted, UNAUTHENTICATED without a valid token.</summary>
    private async Task Read(ServiceHost host, string token)
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            Recognition(host, token).GetOutcomeAsync(new() { OutcomeId = Guid.NewGuid().ToString() }, cancellationToken: _ct).ResponseAsync);
        if (missing.StatusCode != StatusCode.NotFound)
        {
            throw missing;
        }
    }

    /// <summary>The genuine token with one character of its payload changed: its signature no longer matches.</summary>
    private static string Forged(string genuine)
    {
        var parts = genuine.Split('.');
        var payload = parts[1][..^2] + (parts[1][^2] == 'A' ? "B" : "A") + parts[1][^1];
        return string.Join('.', parts[0], payload, parts[2]);
    }

    private static RecognitionService.RecognitionServiceClient Recognition(ServiceHost host, string token) => new(host.Channel.WithToken(token));

    private static Task<string> TokenOf(ServiceHost host, string institutionCode)
    {
        var client = Tokens.ClientOf(institutionCode);
        return Tokens.ForClientAsync(host.Rest, client.ClientId, client.ClientSecret!);
    }

    /// <param name="offers">Counts the requests OpenIddict's validation was offered (its ProcessRequest event), if given.</param>
    private static Task<ServiceHost> StartAsync(Validations validations, TimeSpan? tokenLifetime, Validations? offers = null) =>
        ServiceHost.StartAsync(b => b.AddIdentityProvider().AddRecognition(), a => a.MapIdentityProvider().MapRecognition(),
            tokenLifetime is { } lifetime ? new Dictionary<string, string?> { ["Identity:AccessTokenLifetime"] = lifetime.ToString("c") } : null,
            services: b => b.Services.AddOpenIddict().AddValidation(validation =>
            {
                validation.AddEventHandler<OpenIddictValidationEvents.ValidateTokenContext>(handler =>
                    handler.UseInlineHandler(_ =>
                    {
                        validations.Add();
                        return default;
                    }).SetOrder(int.MinValue));
                validation.AddEventHandler<OpenIddictValidationEvents.ProcessRequestContext>(handler =>
                    handler.UseInlineHandler(_ =>
                    {
                        offers?.Add();
                        return default;
                    }).SetOrder(int.MinValue));
            }));

    /// <summary>The <c>exp</c> claim of a JWT, read from its payload (a test's look at its own token, not validation).</summary>
    private static DateTimeOffset ExpiresAt(string jwt)
    {
        using var json = System.Text.Json.JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1]));
        return DateTimeOffset.FromUnixTimeSeconds(json.RootElement.GetProperty("exp").GetInt64());
    }

    /// <summary>How often an OpenIddict validation event ran (a test observer of the real pipeline).</summary>
    private sealed class Validations
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);
    }
}

/// <summary>The memory of validated tokens is bounded, and what has expired makes room.</summary>
public sealed class RememberedTokensBound
{
    [Fact]
    public void A_full_memory_takes_no_new_token_until_expired_ones_are_swept_out()
    {
        var clock = new SettableClock(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        var tokens = new CreditBank.Grpc.Security.RememberedTokens(clock);
        for (var i = 0; i < CreditBank.Grpc.Security.RememberedTokens.MaxCount; i++)
        {
            tokens.Remember($"token-{i}", Principal(clock.Now.AddMinutes(1)));
        }

        tokens.Remember("one-too-many", Principal(clock.Now.AddMinutes(30)));
        var full = tokens.TryGet("one-too-many", out _);
        clock.Now = clock.Now.AddMinutes(2); // every earlier token has expired
        var expired = tokens.TryGet("token-0", out _);
        var newcomer = Principal(clock.Now.AddMinutes(30));
        tokens.Remember("after-the-sweep", newcomer);

        Assert.False(full);
        Assert.False(expired);
        Assert.True(tokens.TryGet("after-the-sweep", out var principal));
        Assert.Same(newcomer, principal);
        Assert.Equal(1, tokens.Count);
    }

    [Fact]
    public void Remembering_the_same_token_again_takes_no_more_room()
    {
        var clock = new SettableClock(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        var tokens = new CreditBank.Grpc.Security.RememberedTokens(clock);
        for (var i = 0; i < CreditBank.Grpc.Security.RememberedTokens.MaxCount + 10; i++)
        {
            tokens.Remember("the-same-token", Principal(clock.Now.AddMinutes(1)));
        }

        tokens.Remember("another", Principal(clock.Now.AddMinutes(1)));

        Assert.True(tokens.TryGet("another", out _));
        Assert.Equal(2, tokens.Count);
    }

    [Fact]
    public void A_token_is_remembered_no_longer_than_five_minutes_however_long_it_lives()
    {
        var clock = new SettableClock(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        var tokens = new CreditBank.Grpc.Security.RememberedTokens(clock);
        tokens.Remember("long-lived", Principal(clock.Now.AddHours(1)));

        clock.Now = clock.Now.AddMinutes(4);
        var within = tokens.TryGet("long-lived", out _);
        clock.Now = clock.Now.AddMinutes(2);
        var after = tokens.TryGet("long-lived", out _);

        Assert.True(within);
        Assert.False(after); // validated again by OpenIddict on the next call
    }

    private static System.Security.Claims.ClaimsPrincipal Principal(DateTimeOffset expires)
    {
        var identity = new System.Security.Claims.ClaimsIdentity("test", OpenIddict.Abstractions.OpenIddictConstants.Claims.Name, null);
        var principal = new System.Security.Claims.ClaimsPrincipal(identity);
        OpenIddict.Abstractions.OpenIddictExtensions.SetExpirationDate(principal, expires);
        return principal;
    }
}
