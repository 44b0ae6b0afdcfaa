using System.Collections.Concurrent;
using System.Text.Json;
using CreditBank.Contracts.Events;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Identity;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CreditBank.Recognition.Tests;

/// <summary>
/// The recognition service on the embedded default, with the identity module beside it (as in the standalone host) so
/// that calls carry real tokens, and a probe standing in for recognition's subscribers.
/// </summary>
public class RecognitionHost : IAsyncLifetime
{
    /// <summary>An institution with a client at the identity service but no entry in recognition's registry.</summary>
    public const string UnregisteredInstitution = "9999999999";

    private readonly ConcurrentDictionary<string, RecognitionService.RecognitionServiceClient> _clients = new();

    public ServiceHost Host { get; private set; } = null!;

    /// <summary>Configuration on top of the embedded default.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public EventProbe<OutcomesRecognised> Recognised => Host.Services.GetRequiredService<EventProbe<OutcomesRecognised>>();

    public EventProbe<OutcomesRejected> Rejected => Host.Services.GetRequiredService<EventProbe<OutcomesRejected>>();

    public EventProbe<GradingSchemeDefined> SchemesDefined => Host.Services.GetRequiredService<EventProbe<GradingSchemeDefined>>();

    /// <summary>Every announcement of the outcome as recognised: the message id, the event that carried it, and the outcome as carried.</summary>
    public List<(Guid? MessageId, OutcomesRecognised Event, RecognisedOutcome Outcome)> RecognisedAs(string outcomeId) =>
        Recognised.Received.SelectMany(r => r.Message.Outcomes.Where(o => o.OutcomeId.ToString() == outcomeId).Select(o => (r.MessageId, r.Message, o))).ToList();

    /// <summary>Every announcement of the outcome as rejected.</summary>
    public List<(Guid? MessageId, OutcomesRejected Event, RejectedOutcome Outcome)> RejectedAs(string outcomeId) =>
        Rejected.Received.SelectMany(r => r.Message.Outcomes.Where(o => o.OutcomeId.ToString() == outcomeId).Select(o => (r.MessageId, r.Message, o))).ToList();

    public async ValueTask InitializeAsync()
    {
        Host = await ServiceHost.StartAsync(b => b.AddIdentityProvider().AddRecognition(), a => a.MapIdentityProvider().MapRecognition(), Settings,
            services: b => b.AddEventProbe<OutcomesRecognised>().AddEventProbe<OutcomesRejected>().AddEventProbe<GradingSchemeDefined>());
        await using var scope = Host.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = "college-" + UnregisteredInstitution,
            ClientSecret = "unregistered-secret",
            ClientType = OpenIddictConstants.ClientTypes.Confidential,
            Permissions =
            {
                OpenIddictConstants.Permissions.Endpoints.Token, OpenIddictConstants.Permissions.GrantTypes.ClientCredentials,
                OpenIddictConstants.Permissions.Prefixes.Scope + "outcomes.submit",
            },
        };
        descriptor.Properties["creditbank_role"] = JsonSerializer.SerializeToElement("institution");
        descriptor.Properties["institution_code"] = JsonSerializer.SerializeToElement(UnregisteredInstitution);
        await applications.CreateAsync(descriptor);
        Callers = await ActingAs.ForDemoAsync(Host, [(UnregisteredInstitution, "college-" + UnregisteredInstitution, "unregistered-secret")]);
        Acting = Host.Channel.Intercept(Callers);
        Client = new RecognitionService.RecognitionServiceClient(Acting);
        Host.Rest.DefaultRequestHeaders.Authorization = new("Bearer", Callers.TokenOf(Requests.TrustedCollege));
    }

    /// <summary>Each call signed by whoever the request says acts (see <see cref="ActingAs"/>).</summary>
    public CallInvoker Acting { get; private set; } = null!;

    public ActingAs Callers { get; private set; } = null!;

    /// <summary>Recognition as the institution each request names (reads as an administrator).</summary>
    public RecognitionService.RecognitionServiceClient Client { get; private set; } = null!;

    public ValueTask DisposeAsync() => Host?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>The recognition client of the institution <paramref name="institutionCode"/>, with its own token.</summary>
    public async Task<RecognitionService.RecognitionServiceClient> As(string institutionCode)
    {
        if (_clients.TryGetValue(institutionCode, out var client))
        {
            return client;
        }

        var (id, secret) = institutionCode == UnregisteredInstitution
            ? ("college-" + UnregisteredInstitution, "unregistered-secret")
            : (Tokens.ClientOf(institutionCode).ClientId, Tokens.ClientOf(institutionCode).ClientSecret!);
        var token = await Tokens.ForClientAsync(Host.Rest, id, secret);
        return _clients.GetOrAdd(institutionCode, new RecognitionService.RecognitionServiceClient(Host.Channel.WithToken(token)));
    }

    /// <summary>Submits as the institution the request names.</summary>
    public async Task<SubmitOutcomeResponse> SubmitAsync(SubmitOutcomeRequest request, CancellationToken ct) =>
        await (await As(request.InstitutionCode is { Length: > 0 } code ? code : Requests.TrustedCollege)).SubmitOutcomeAsync(request, cancellationToken: ct);

    /// <summary>Reads an outcome as the institution that submitted it.</summary>
    public async Task<Outcome> GetAsync(string outcomeId, CancellationToken ct, string institutionCode = Requests.TrustedCollege) =>
        (await (await As(institutionCode)).GetOutcomeAsync(new GetOutcomeRequest { OutcomeId = outcomeId }, cancellationToken: ct)).Outcome;

    /// <summary>A bearer token for REST calls as <paramref name="institutionCode"/>.</summary>
    public async Task<string> TokenOf(string institutionCode)
    {
        var client = Tokens.ClientOf(institutionCode);
        return await Tokens.ForClientAsync(Host.Rest, client.ClientId, client.ClientSecret!);
    }
}
