using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Events;
using CreditBank.Identity;
using CreditBank.PersonalData;
using CreditBank.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CreditBank.Accounts.Tests;

/// <summary>The accounts service alone on the embedded default; tests play recognition by publishing its events.</summary>
public sealed class AccountsHost : IAsyncLifetime
{
    public ServiceHost Host { get; private set; } = null!;

    public AccountsService.AccountsServiceClient Client { get; private set; } = null!;

    public string AdminToken { get; private set; } = null!;

    public ConsumedCounter<OutcomeRecognised> Consumed => Host.Services.GetRequiredService<ConsumedCounter<OutcomeRecognised>>();

    public EventProbe<LedgerEntryPosted> Posted => Host.Services.GetRequiredService<EventProbe<LedgerEntryPosted>>();

    public EventProbe<LedgerEntriesPosted> PostedTogether => Host.Services.GetRequiredService<EventProbe<LedgerEntriesPosted>>();

    public EventProbe<AccountOpened> Opened => Host.Services.GetRequiredService<EventProbe<AccountOpened>>();

    public EventProbe<AccountsOpened> OpenedTogether => Host.Services.GetRequiredService<EventProbe<AccountsOpened>>();

    public async ValueTask InitializeAsync()
    {
        Host = await ServiceHost.StartAsync(b => b.AddIdentityProvider().AddAccounts(), a => a.MapIdentityProvider().MapAccounts(),
            services: b => b.AddConsumedCounter<OutcomeRecognised>().AddEventProbe<LedgerEntryPosted>().AddEventProbe<LedgerEntriesPosted>()
                .AddEventProbe<AccountOpened>().AddEventProbe<AccountsOpened>());
        // A bank administrator reads every account; learners' own views are covered by the security tests.
        AdminToken = await Tokens.ForPersonAsync(Host.Handler, "admin", "demo-admin");
        Client = new AccountsService.AccountsServiceClient(Host.Channel.WithToken(AdminToken));
    }

    public ValueTask DisposeAsync() => Host?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Publishes as recognition's outbox relay does: the event id is the MessageId.</summary>
    public Task PublishAsync(OutcomeRecognised recognised, CancellationToken ct) =>
        Host.Services.GetRequiredService<IBus>().Publish(recognised, c => c.MessageId = recognised.EventId, ct);

    /// <summary>Publishes a batch chunk as recognition's outbox relay does.</summary>
    public Task PublishAsync(OutcomesRecognised chunk, CancellationToken ct) =>
        Host.Services.GetRequiredService<IBus>().Publish(chunk, c => c.MessageId = chunk.EventId, ct);

    /// <summary>Publishes single submissions written together as recognition's outbox relay does.</summary>
    public Task PublishAsync(SubmittedOutcomesRecognised group, CancellationToken ct) =>
        Host.Services.GetRequiredService<IBus>().Publish(group, c => c.MessageId = group.EventId, ct);

    /// <summary>Single submissions of one actor written together, as recognition announces them.</summary>
    public static SubmittedOutcomesRecognised Submitted(string actor, params OutcomeRecognised[] outcomes) => new()
    {
        EventId = Guid.NewGuid(),
        OccurredAt = DateTimeOffset.UtcNow,
        Actor = actor,
        Outcomes = [.. outcomes.Select(Carried)],
    };

    /// <summary>A batch chunk of these outcomes, as recognition announces one.</summary>
    public static OutcomesRecognised Chunk(params OutcomeRecognised[] outcomes) => new()
    {
        EventId = Guid.NewGuid(),
        OccurredAt = DateTimeOffset.UtcNow,
        Actor = "institution:" + Requests.TrustedCollege,
        BatchId = Guid.NewGuid(),
        Outcomes = [.. outcomes.Select(Carried)],
    };

    private static RecognisedOutcome Carried(OutcomeRecognised o) => new(o.OutcomeId, o.InstitutionCode, o.Learner, o.OutcomeKind, o.Title, o.Credits, o.Facts);

    public OutcomeRecognised Recognised(string documentNumber, decimal credits, string kind = "COURSE", string name = "张三")
    {
        IdentityDocument.TryParse(PersonalData.DocumentType.ResidentIdCard, documentNumber, out var document, out _);
        var learner = Host.Services.GetRequiredService<DocumentProtector>().Protect(document!);
        return new OutcomeRecognised
        {
            EventId = Guid.NewGuid(),
            OccurredAt = DateTimeOffset.UtcNow,
            Actor = "institution:" + Requests.TrustedCollege,
            OutcomeId = Guid.NewGuid(),
            InstitutionCode = Requests.TrustedCollege,
            Learner = new LearnerIdentity("RESIDENT_ID_CARD", learner.Hash, learner.Masked, learner.Sealed, name),
            OutcomeKind = kind,
            Title = "CS101 数据结构 (2025-2026-1)",
            Credits = credits,
        };
    }

    /// <summary>The learner's account once its ledger holds at least <paramref name="entries"/> entries.</summary>
    public Task<GetAccountResponse> WaitForAccountAsync(string documentNumber, long entries, CancellationToken ct) =>
        Client.WaitForLedgerAsync(documentNumber, entries, ct: ct);
}
