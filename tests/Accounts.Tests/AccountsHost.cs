using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Events;
using CreditBank.Identity;
using CreditBank.PersonalData;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CreditBank.Accounts.Tests;

/// <summary>The accounts service alone on the embedded default; tests play recognition by publishing its events.</summary>
public sealed class AccountsHost : IAsyncLifetime
{
    public ServiceHost Host { get; private set; } = null!;

    public AccountsService.AccountsServiceClient Client { get; private set; } = null!;

    public string AdminToken { get; private set; } = null!;

    public ConsumedCounter<OutcomesRecognised> Consumed => Host.Services.GetRequiredService<ConsumedCounter<OutcomesRecognised>>();

    public EventProbe<LedgerEntriesPosted> Posted => Host.Services.GetRequiredService<EventProbe<LedgerEntriesPosted>>();

    public EventProbe<AccountsOpened> Opened => Host.Services.GetRequiredService<EventProbe<AccountsOpened>>();

    public ConsumedMessages ConsumedMessages => Host.Services.GetRequiredService<ConsumedMessages>();

    /// <summary>The institution recognition names as the actor of the events these tests publish.</summary>
    public const string College = "institution:" + Requests.TrustedCollege;

    public async ValueTask InitializeAsync()
    {
        Host = await ServiceHost.StartAsync(b => b.AddIdentityProvider().AddAccounts(), a => a.MapIdentityProvider().MapAccounts(),
            services: b => b.AddConsumedCounter<OutcomesRecognised>().AddConsumedMessages().AddEventProbe<LedgerEntriesPosted>().AddEventProbe<AccountsOpened>());
        // A bank administrator reads every account; learners' own views are covered by the security tests.
        AdminToken = await Tokens.ForPersonAsync(Host.Handler, "admin", "demo-admin");
        Client = new AccountsService.AccountsServiceClient(Host.Channel.WithToken(AdminToken));
    }

    public ValueTask DisposeAsync() => Host?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Publishes an event as the outbox relay of the service that owns it does: the event id is the MessageId.</summary>
    public Task PublishAsync<TEvent>(TEvent integrationEvent, CancellationToken ct)
        where TEvent : class, IIntegrationEvent =>
        Host.Services.GetRequiredService<IBus>().Publish(integrationEvent, c => c.MessageId = integrationEvent.EventId, ct);

    /// <summary>Outcomes one actor's transaction recognised, as recognition announces them (a lone submission is a list of one).</summary>
    public static OutcomesRecognised Submitted(string actor, params RecognisedOutcome[] outcomes) => new()
    {
        EventId = Guid.NewGuid(),
        OccurredAt = DateTimeOffset.UtcNow,
        Actor = actor,
        Outcomes = outcomes,
    };

    /// <summary>A lone submission of the college's, as recognition announces it.</summary>
    public static OutcomesRecognised Lone(RecognisedOutcome outcome) => Submitted(College, outcome);

    /// <summary>A batch chunk of these outcomes, as recognition announces one.</summary>
    public static OutcomesRecognised Chunk(params RecognisedOutcome[] outcomes) => Submitted(College, outcomes) with { BatchId = Guid.NewGuid() };

    /// <summary>A recognised outcome of the learner with this document, as events carry it (hashed, masked and sealed).</summary>
    public RecognisedOutcome Recognised(string documentNumber, decimal credits, string kind = "COURSE", string name = "张三") =>
        new(Guid.NewGuid(), Requests.TrustedCollege, Learner(documentNumber, name), kind, "CS101 数据结构 (2025-2026-1)", credits);

    /// <summary>The learner as events name them.</summary>
    public LearnerIdentity Learner(string documentNumber, string name = "张三")
    {
        IdentityDocument.TryParse(PersonalData.DocumentType.ResidentIdCard, documentNumber, out var document, out _);
        var learner = Host.Services.GetRequiredService<DocumentProtector>().Protect(document!);
        return new LearnerIdentity("RESIDENT_ID_CARD", learner.Hash, learner.Masked, learner.Sealed, name);
    }

    /// <summary>The learner's account once its ledger holds at least <paramref name="entries"/> entries.</summary>
    public Task<GetAccountResponse> WaitForAccountAsync(string documentNumber, long entries, CancellationToken ct) =>
        Client.WaitForLedgerAsync(documentNumber, entries, ct: ct);
}
