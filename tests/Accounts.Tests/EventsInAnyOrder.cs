using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Type.V1;
using IntegrationEvents = CreditBank.Contracts.Events;

namespace CreditBank.Accounts.Tests;

/// <summary>
/// Accounts reaches the same state whatever order a fact's events arrive in: an outcome recognised (deposit), revoked
/// (reversal) and converted (conversion entry), delivered in every order, with and without redeliveries.
/// </summary>
public sealed class EventsInAnyOrder(AccountsHost bank) : IClassFixture<AccountsHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(EventOrders.All), MemberType = typeof(EventOrders))]
    public async Task Recognised_revoked_and_converted_in_any_order_end_in_one_deposit_one_reversal_and_one_conversion(string order, bool redelivered)
    {
        var number = Requests.ResidentId(700 + EventOrders.Case(order, redelivered));
        var outcome = bank.Recognised(number, 3m, name: "李四");
        var kept = bank.Recognised(number, 2m, kind: "SKILL_CERTIFICATE", name: "李四");
        var events = new Dictionary<char, IntegrationEvents.IIntegrationEvent>
        {
            ['R'] = AccountsHost.Lone(outcome) with { Outcomes = [outcome, kept] },
            ['V'] = Revoked(outcome),
            ['C'] = Converted(outcome, kept),
        };
        var sequence = EventOrders.Sequence(order, redelivered);

        foreach (var step in sequence)
        {
            var integrationEvent = events[step];
            var before = bank.ConsumedMessages.Count(integrationEvent.EventId);
            await PublishAsync(integrationEvent);
            await bank.ConsumedMessages.WaitAsync(integrationEvent.EventId, before + 1);
        }

        var account = await bank.WaitForAccountAsync(number, 5, _ct);
        var ledger = await bank.Client.ListLedgerEntriesAsync(new() { AccountId = account.Account.AccountId, PageSize = 100 }, cancellationToken: _ct);

        Assert.Equal("李四", account.Account.Name);
        Assert.Equal("5002**********" + number[^4..], account.Account.DocumentMasked);
        Assert.Equal(
            [
                (LedgerEntryKind.Deposit, outcome.OutcomeId.ToString(), 3.0),
                (LedgerEntryKind.Deposit, kept.OutcomeId.ToString(), 2.0),
                (LedgerEntryKind.Reversal, outcome.OutcomeId.ToString(), -3.0),
                (LedgerEntryKind.Conversion, outcome.OutcomeId.ToString(), 1.5),
                (LedgerEntryKind.Conversion, kept.OutcomeId.ToString(), 1.5),
            ],
            ledger.Entries.Select(e => (e.Kind, e.OutcomeId, e.Credits)).OrderBy(e => e.Kind).ThenBy(e => e.OutcomeId == kept.OutcomeId.ToString()));
        Assert.Equal([1L, 2, 3, 4, 5], ledger.Entries.Select(e => e.Sequence).Order());
        Assert.Equal(2, account.TotalCredits);
        Assert.Equal([(OutcomeKind.SkillCertificate, 2.0)], account.Balances.Select(b => (b.OutcomeKind, b.Credits)));
        Assert.Equal(3, account.ConvertedCredits);
    }

    [Fact]
    public async Task A_revocation_of_an_outcome_never_recognised_changes_nothing()
    {
        var number = Requests.ResidentId(760);
        var pending = bank.Recognised(number, 3m);
        await bank.PublishAsync(AccountsHost.Lone(bank.Recognised(number, 1m)), _ct);
        await bank.WaitForAccountAsync(number, 1, _ct);

        var revoked = Revoked(pending) with { WasRecognised = false, Credits = 0m };
        await PublishAsync(revoked);
        await bank.ConsumedMessages.WaitAsync(revoked.EventId);
        var account = await bank.WaitForAccountAsync(number, 1, _ct);

        Assert.Equal(1, account.LedgerEntryCount);
        Assert.Equal(1, account.TotalCredits);
    }

    private Task PublishAsync(IntegrationEvents.IIntegrationEvent integrationEvent) => integrationEvent switch
    {
        IntegrationEvents.OutcomesRecognised e => bank.PublishAsync(e, _ct),
        IntegrationEvents.OutcomeRevoked e => bank.PublishAsync(e, _ct),
        IntegrationEvents.CreditsConverted e => bank.PublishAsync(e, _ct),
        _ => throw new ArgumentOutOfRangeException(nameof(integrationEvent)),
    };

    private static IntegrationEvents.OutcomeRevoked Revoked(IntegrationEvents.RecognisedOutcome outcome) => new()
    {
        EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, Actor = AccountsHost.College, OutcomeId = outcome.OutcomeId,
        InstitutionCode = outcome.InstitutionCode, Learner = outcome.Learner, OutcomeKind = outcome.OutcomeKind, Title = outcome.Title,
        WasRecognised = true, Credits = outcome.Credits, ReasonCode = "CERTIFICATE_WITHDRAWN", Reason = "证书撤回",
    };

    private static IntegrationEvents.CreditsConverted Converted(params IntegrationEvents.RecognisedOutcome[] outcomes) => new()
    {
        EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, Actor = "institution:" + Requests.TrustedCollege, ApplicationId = Guid.NewGuid(),
        LearnerDocumentType = "RESIDENT_ID_CARD", LearnerDocumentHash = outcomes[0].Learner.DocumentHash, ProgrammeCode = "510201",
        InstitutionCode = Requests.TrustedCollege,
        Items = [new IntegrationEvents.ConvertedItem(1, "rule-1", 1, [.. outcomes.Select(o => new IntegrationEvents.ConvertedOutcome(o.OutcomeId, o.OutcomeKind))], ["NET101"], 3m)],
    };
}
