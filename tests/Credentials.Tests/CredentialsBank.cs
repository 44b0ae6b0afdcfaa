using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CreditBank.Contracts.Credentials.V1;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Identity;
using CreditBank.Recognition;
using Grpc.Core;
using Grpc.Core.Interceptors;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CreditBank.Credentials.Tests;

/// <summary>
/// The bank with identity, recognition and credentials in one process on the embedded default: institutions submit and
/// revoke outcomes through recognition, whose events reach credentials over the in-memory bus, as in the standalone host.
/// </summary>
public class CredentialsBank : IAsyncLifetime
{
    private readonly IDictionary<string, string?>? _settings;

    public CredentialsBank()
    {
    }

    protected CredentialsBank(IDictionary<string, string?> settings) => _settings = settings;

    public ServiceHost Host { get; private set; } = null!;

    public ActingAs Callers { get; private set; } = null!;

    /// <summary>Recognition as the institution each request names.</summary>
    public RecognitionService.RecognitionServiceClient Institutions { get; private set; } = null!;

    /// <summary>Credentials without a token: the public verification.</summary>
    public CredentialsService.CredentialsServiceClient Anyone { get; private set; } = null!;

    public ConsumedMessages ConsumedMessages => Host.Services.GetRequiredService<ConsumedMessages>();

    public virtual async ValueTask InitializeAsync()
    {
        Host = await ServiceHost.StartAsync(b => b.AddIdentityProvider().AddRecognition().AddCredentials(),
            a => a.MapIdentityProvider().MapRecognition().MapCredentials(), _settings, services: b => b.AddConsumedMessages());
        Callers = await ActingAs.ForDemoAsync(Host);
        Institutions = new RecognitionService.RecognitionServiceClient(Host.Channel.Intercept(Callers));
        Anyone = new CredentialsService.CredentialsServiceClient(Host.Channel);
    }

    public virtual ValueTask DisposeAsync() => Host?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>The credentials service as a caller holding <paramref name="token"/>.</summary>
    public CredentialsService.CredentialsServiceClient As(string token) => new(Host.Channel.WithToken(token));

    /// <summary>A verified learner (实名认证) with a login for this document: their token.</summary>
    public Task<string> LearnerAsync(string documentNumber) => People.VerifiedLearnerAsync(Host, "learner-" + documentNumber[^6..], documentNumber);

    /// <summary>Submits an outcome and waits until the credentials service has banked it (its recognition decision is signed).</summary>
    public async Task<string> BankedAsync(SubmitOutcomeRequest request, CancellationToken ct)
    {
        var answer = await Institutions.SubmitOutcomeAsync(request, cancellationToken: ct);
        Assert.Equal(OutcomeStatus.Recognised, answer.Status);
        await DecisionsAsync(answer.OutcomeId, 1, ct);
        return answer.OutcomeId;
    }

    /// <summary>The signed decisions about an outcome, once there are at least <paramref name="count"/> (read as an administrator).</summary>
    public Task<GetOutcomeDecisionsResponse> DecisionsAsync(string outcomeId, int count, CancellationToken ct) =>
        Eventually.Until(async () =>
        {
            try
            {
                return await As(Callers.AdminToken).GetOutcomeDecisionsAsync(new() { OutcomeId = outcomeId }, cancellationToken: ct);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return new GetOutcomeDecisionsResponse();
            }
        }, d => d.Decisions.Count >= count, what: $"{count} signed decision(s) about outcome {outcomeId}");

    /// <summary>Revokes an outcome as the institution that submitted it.</summary>
    public Task<RevokeOutcomeResponse> RevokeAsync(string outcomeId, string institution, CancellationToken ct) =>
        Institutions.RevokeOutcomeAsync(new RevokeOutcomeRequest
        {
            OutcomeId = outcomeId, InstitutionCode = institution, Reason = RevocationReason.CertificateWithdrawn, Comment = "证书被发证机构撤销",
        }, cancellationToken: ct).ResponseAsync;

    /// <summary>A public URL of this host (JWK Set, status list), read as anyone reads it.</summary>
    public async Task<HttpResponseMessage> GetAsync(string url, CancellationToken ct) =>
        await Host.Rest.GetAsync(new Uri(url).PathAndQuery, ct);

    public async Task<string> TextAsync(string url, CancellationToken ct)
    {
        using var response = await GetAsync(url, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(ct);
    }

    /// <summary>The payload of a VC-JWT, read (not verified): what a test looks at in a credential.</summary>
    public static JsonObject Payload(string jwt) =>
        JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1]))!.AsObject();

    /// <summary>Publishes an event as the outbox relay of the service that owns it does: the event id is the MessageId.</summary>
    public Task PublishAsync<TEvent>(TEvent integrationEvent, CancellationToken ct)
        where TEvent : class, Contracts.Events.IIntegrationEvent =>
        Host.Services.GetRequiredService<IBus>().Publish(integrationEvent, c => c.MessageId = integrationEvent.EventId, ct);
}
