using CreditBank.Accounts.Data;
using CreditBank.Contracts.Events;
using CreditBank.Contracts.Recognition.V1;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CreditBank.Integration.Tests;

/// <summary>The walking skeleton's story: an institution's outcome reaches the learner's credit account through RabbitMQ.</summary>
public sealed class OutcomeToLedger(DistributedBankHost bank)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_submitted_outcome_is_credited_to_the_learners_account_through_rabbitmq_into_postgresql()
    {
        var number = Requests.ResidentId(201);

        var answer = await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: number, credits: 4), cancellationToken: _ct);
        var account = await bank.WaitForCreditsAsync(number, 1);
        var ledger = await bank.Learners.ListLedgerEntriesAsync(new() { AccountId = account.Account.AccountId }, cancellationToken: _ct);

        Assert.Equal(OutcomeStatus.Recognised, answer.Status);
        Assert.Equal(4, account.TotalCredits);
        Assert.Equal(answer.OutcomeId, Assert.Single(ledger.Entries).OutcomeId);
    }

    [Fact]
    public async Task The_account_summary_is_cached_in_redis_and_invalidated_by_the_next_ledger_entry()
    {
        var number = Requests.ResidentId(202);
        await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: number, credits: 2), cancellationToken: _ct);
        var first = await bank.WaitForCreditsAsync(number, 1);
        var key = RedisAccountSummaryCacheKey(first.Account.AccountId);
        await bank.Learners.GetAccountAsync(new() { AccountId = first.Account.AccountId }, cancellationToken: _ct);
        Assert.True(await bank.Redis.GetDatabase().KeyExistsAsync(key), "GetAccount should have cached the summary in Redis");

        await bank.Assessor.SubmitOutcomeAsync(Requests.Certificate(documentNumber: number), cancellationToken: _ct);
        // The cached summary lives for minutes: only invalidation lets the new balance show within the wait.
        var second = await bank.WaitForCreditsAsync(number, 2);

        Assert.Equal(6, second.TotalCredits);
        Assert.Equal(2, second.Balances.Count);
    }

    [Fact]
    public async Task A_read_that_raced_a_ledger_change_cannot_put_the_old_summary_back_in_the_cache()
    {
        var cache = bank.Accounts.Services.GetRequiredService<IAccountSummaryCache>();
        var accountId = Guid.NewGuid();
        var stale = new CachedAccountSummary(new() { TotalCredits = 1 }, null);

        var before = await cache.GetAsync(accountId);   // the reader looks, misses, goes to the database…
        await cache.InvalidateAsync(accountId);          // …a deposit commits meanwhile…
        await cache.SetAsync(accountId, stale, before); // …and the reader tries to store what it read.
        var after = await cache.GetAsync(accountId);
        await cache.SetAsync(accountId, stale, after);  // a reader that started after the change may store.

        Assert.Null(after.Hit);
        Assert.NotNull((await cache.GetAsync(accountId)).Hit);
    }

    [Fact]
    public async Task A_redelivered_outcome_recognised_adds_no_second_ledger_entry()
    {
        var number = Requests.ResidentId(203);
        var answer = await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: number, credits: 3), cancellationToken: _ct);
        await bank.WaitForCreditsAsync(number, 1);
        var (original, type) = await FindPublishedEventAsync(Guid.Parse(answer.OutcomeId));
        var consumedBefore = Consumed();

        // The relay crashed after publishing and before marking its row: the same event, with the same MessageId, again.
        var bus = bank.Recognition.Services.GetRequiredService<IBus>();
        await bus.Publish(original, type, c => c.MessageId = original.EventId, _ct);
        await bus.Publish(original, type, c => c.MessageId = original.EventId, _ct);
        await Eventually.Until(() => Task.FromResult(Consumed()), n => n >= consumedBefore + 2, what: "both redeliveries to be consumed");
        var account = await bank.WaitForCreditsAsync(number, 1);

        Assert.Equal(1, account.LedgerEntryCount);
        Assert.Equal(3, account.TotalCredits);
    }

    [Fact]
    public async Task Both_services_report_serving_on_grpc_health()
    {
        await DistributedBankHost.WaitUntilServingAsync(bank.Recognition);
        await DistributedBankHost.WaitUntilServingAsync(bank.Accounts);
    }

    /// <summary>
    /// The event that announced the outcome: a list of one, or, when other tests' submits were written in the same
    /// group commit, the group's.
    /// </summary>
    private async Task<(IIntegrationEvent Event, Type Type)> FindPublishedEventAsync(Guid outcomeId)
    {
        await using var scope = bank.Recognition.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CreditBank.Recognition.Data.RecognitionDb>();
        var id = outcomeId.ToString();
        var row = db.Set<CreditBank.Messaging.OutboxMessage>().Single(m => m.Body.Contains(id));
        var type = CreditBank.Messaging.EventJson.Contracts.GetType(row.Type)!;
        var published = (IIntegrationEvent)System.Text.Json.JsonSerializer.Deserialize(row.Body, type, CreditBank.Messaging.EventJson.Options)!;
        return (published, type);
    }

    private int Consumed() => bank.Consumed.Count;

    private static string RedisAccountSummaryCacheKey(string accountId) => $"creditbank:accounts:{{{Guid.Parse(accountId):N}}}:summary";
}
