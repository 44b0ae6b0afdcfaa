using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using CreditBank.Contracts.Learning;
using CreditBank.Conversion.Data;
using CreditBank.Conversion.Events;
using CreditBank.Grpc.Security;
using CreditBank.Persistence;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Conversion.OutcomeFeed;

/// <summary>
/// Keeps conversion's copy of banked outcomes (<see cref="LearnerOutcome"/>) from recognition's outcome change feed
/// (<c>ListOutcomeChanges</c>), alongside the events: a new conversion database catches up from the first change,
/// then follows at <see cref="OutcomeFeedOptions.PollInterval"/> while events keep arriving.
/// </summary>
/// <remarks>
/// Each page is applied with the events' own write (<see cref="LearnerOutcomeRows.MergeAsync"/>) and the cursor saved
/// in the same transaction, so a restart goes on from the first change not applied, and a page applied twice (a crash
/// before the commit) changes nothing. Feed and events meet on the outcome's row and converge in any interleaving
/// (docs/architecture.md, "Events in any order").
/// </remarks>
internal sealed class OutcomeFeedFollower(
    IServiceScopeFactory scopes, IHttpClientFactory http, IOptions<OutcomeFeedOptions> options, IConfiguration configuration,
    TimeProvider time, ILogger<OutcomeFeedFollower> logger) : BackgroundService
{
    /// <summary>The named HTTP client the follower asks for tokens and reads the feed with.</summary>
    public const string HttpClientName = "outcome-feed";

    private const string Feed = "recognition";

    private string? _token;
    private DateTimeOffset _tokenExpires;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var client = http.CreateClient(HttpClientName);
        using var channel = GrpcChannel.ForAddress(settings.RecognitionUrl, new GrpcChannelOptions
        {
            HttpClient = client, DisposeHttpClient = false, MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        var recognition = new V1.RecognitionService.RecognitionServiceClient(channel);
        var caughtUpOnce = false;
        var catchingUp = System.Diagnostics.Stopwatch.StartNew();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (caughtUp, read) = await ReadPageAsync(recognition, client, settings, stoppingToken);
                if (!caughtUp)
                {
                    continue;
                }

                if (!caughtUpOnce)
                {
                    caughtUpOnce = true;
                    logger.LogInformation("Outcome change feed: caught up after {Seconds:0.0} s ({Read} changes applied in all); following it every {Interval}",
                        catchingUp.Elapsed.TotalSeconds, read, settings.PollInterval);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e.IsUniqueViolation() || e is DbUpdateConcurrencyException)
            {
                // An event wrote one of the page's outcomes meanwhile: read the page again, which now finds its row.
                logger.LogDebug(e, "Outcome change feed: an event wrote the same outcome; applying the page again");
                continue;
            }
            catch (Exception e) when (e is RpcException or HttpRequestException or DbUpdateException or InvalidOperationException)
            {
                if (e is RpcException { StatusCode: StatusCode.Unauthenticated })
                {
                    _token = null;
                }

                logger.LogWarning(e, "Outcome change feed: could not read or apply a page; trying again in {Interval}", settings.PollInterval);
            }

            await Task.Delay(settings.PollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Reads one page from the stored cursor and applies it with the cursor, in one transaction.</summary>
    private async Task<(bool CaughtUp, long Read)> ReadPageAsync(V1.RecognitionService.RecognitionServiceClient recognition, HttpClient client,
        OutcomeFeedOptions settings, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConversionDb>();
        var cursor = await db.OutcomeFeedCursors.FirstOrDefaultAsync(c => c.Feed == Feed, ct);
        var token = await TokenAsync(client, settings, ct);
        var page = await recognition.ListOutcomeChangesAsync(new V1.ListOutcomeChangesRequest
        {
            PageSize = settings.PageSize, PageToken = cursor?.PageToken ?? string.Empty,
        }, new Metadata { { "authorization", "Bearer " + token } }, cancellationToken: ct);
        if (page.Changes.Count == 0)
        {
            return (true, cursor?.ChangesRead ?? 0);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LearnerOutcomeRows.MergeAsync(db, [.. page.Changes.Select(Write)], ct);
        if (cursor is null)
        {
            cursor = new OutcomeFeedCursor { Feed = Feed, PageToken = page.NextPageToken };
            db.OutcomeFeedCursors.Add(cursor);
        }

        cursor.PageToken = page.NextPageToken;
        cursor.ChangesRead += page.Changes.Count;
        cursor.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (page.CaughtUp, cursor.ChangesRead);
    }

    /// <summary>A change as the copy's write takes it: the facts (recognised, corrected) or the revocation.</summary>
    internal static OutcomeWrite Write(V1.OutcomeChange change)
    {
        var row = new LearnerOutcome
        {
            OutcomeId = Guid.Parse(change.OutcomeId),
            LearnerDocumentType = change.LearnerDocumentType,
            LearnerDocumentHash = change.LearnerDocumentHash,
            Kind = OutcomeKinds.Name(change.OutcomeKind),
            StandardCode = OrNull(change.StandardCode),
            Level = change.Level,
            InstitutionCode = change.InstitutionCode,
            CourseCode = OrNull(change.CourseCode),
            GradeScheme = OrNull(change.GradeScheme),
            GradeValue = OrNull(change.GradeValue),
            Hours = change.Hours,
            Credits = (decimal)change.Credits,
            AchievedOn = DateOnly.ParseExact(change.AchievedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Title = change.Title,
            Revoked = change.Kind == V1.OutcomeChangeKind.Revoked,
        };
        return change.Kind switch
        {
            V1.OutcomeChangeKind.Recognised => OutcomeWrite.Recognised(row),
            V1.OutcomeChangeKind.Corrected => OutcomeWrite.Corrected(row),
            V1.OutcomeChangeKind.Revoked => OutcomeWrite.Revoked(row),
            _ => throw new InvalidOperationException($"Outcome change kind {change.Kind} is not one this version knows."),
        };
    }

    private static string? OrNull(string value) => value.Length == 0 ? null : value;

    /// <summary>An access token of conversion's own client (client_credentials), kept until a minute before it expires.</summary>
    private async Task<string> TokenAsync(HttpClient client, OutcomeFeedOptions settings, CancellationToken ct)
    {
        if (_token is not null && time.GetUtcNow() < _tokenExpires)
        {
            return _token;
        }

        using var response = await client.PostAsync(TokenUrl(settings), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = settings.ClientId, ["client_secret"] = settings.ClientSecret, ["scope"] = Scopes.OutcomesFeed,
        }), ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The identity service refused client {settings.ClientId} a token for {Scopes.OutcomesFeed}: {(int)response.StatusCode}.");
        }

        var answer = await response.Content.ReadFromJsonAsync<TokenAnswer>(ct)
            ?? throw new InvalidOperationException("The identity service answered no token.");
        _token = answer.AccessToken;
        _tokenExpires = time.GetUtcNow().AddSeconds(Math.Max(answer.ExpiresIn - 60, 30));
        return _token;
    }

    private string TokenUrl(OutcomeFeedOptions settings)
    {
        if (settings.TokenUrl.Length > 0)
        {
            return settings.TokenUrl;
        }

        var authority = configuration["Authentication:Authority"];
        return string.IsNullOrWhiteSpace(authority)
            ? settings.RecognitionUrl.TrimEnd('/') + "/connect/token"
            : authority.TrimEnd('/') + "/connect/token";
    }

    private sealed record TokenAnswer(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
