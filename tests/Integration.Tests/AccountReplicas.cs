using CreditBank.Accounts;
using CreditBank.Accounts.Data;
using CreditBank.Contracts.Accounts.V1;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace CreditBank.Integration.Tests;

/// <summary>
/// Two replicas of the accounts service over one database and one Redis: the bank's replica consumes the events; the
/// second only answers reads. A replica keeps the summaries it read in its own memory (<see cref="LocalSummaries"/>),
/// and forgets one when any replica announces a change of that account through Redis.
/// </summary>
public sealed class AccountReplicas(DistributedBankHost bank) : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    // The reader replica's clock, moved by hand to bring a kept summary to its refresh time.
    private readonly SettableClock _clock = new(DateTimeOffset.UtcNow);
    private ServiceHost _reader = null!;
    private AccountsService.AccountsServiceClient _readerClient = null!;

    public async ValueTask InitializeAsync()
    {
        // Its own in-memory bus, so it consumes nothing and learns of changes only through Redis; and no outbox relay,
        // which would take the bank replica's events from the shared database into that in-memory bus.
        _reader = await ServiceHost.StartAsync(b => b.AddAccounts(), a => a.MapAccounts(), new Dictionary<string, string?>
        {
            ["Authentication:Authority"] = bank.Identity.BaseAddress.ToString(),
            ["Databases:Accounts:Provider"] = "Postgres",
            ["Databases:Accounts:ConnectionString"] = bank.AccountsDatabase,
            ["Redis:Configuration"] = RealInfrastructure.Redis,
        }, services: b =>
        {
            var relay = b.Services.Single(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType?.Name.StartsWith("OutboxRelay", StringComparison.Ordinal) == true);
            b.Services.Remove(relay);
            b.Services.AddSingleton<TimeProvider>(_clock);
        });
        _readerClient = new AccountsService.AccountsServiceClient(_reader.Channel.WithToken(bank.AdministratorToken));
        _reader.Services.GetRequiredService<IAccountSummaryCache>(); // subscribes
        await Eventually.Until(() => Task.FromResult(_reader.Services.GetRequiredService<LocalSummaries>().Listening), listening => listening,
            TimeSpan.FromSeconds(10), "the reader replica to subscribe to account changes");
    }

    public async ValueTask DisposeAsync() => await _reader.DisposeAsync();

    [Fact]
    public async Task A_warm_read_is_answered_from_the_replicas_memory_without_asking_redis()
    {
        // A read that went to Redis would return the summary written there behind the service's back; a read from the
        // replica's memory returns what the replica read before.
        var (account, read) = await ReadThenReplaceInRedisAsync(231, credits: 3, replaced: 999);
        var again = await _readerClient.GetAccountAsync(new() { AccountId = account }, cancellationToken: _ct);

        Assert.Equal(3, read.TotalCredits);
        Assert.Equal(3, again.TotalCredits);
    }

    [Fact]
    public async Task A_summary_past_its_refresh_time_is_answered_from_memory_and_read_again_from_redis_behind_the_reader()
    {
        // Redis now holds another summary, and the kept one is past its latest refresh time but within its most time kept.
        var (account, _) = await ReadThenReplaceInRedisAsync(233, credits: 3, replaced: 999);
        _clock.Now += LocalSummaries.RefreshTo + TimeSpan.FromSeconds(1);
        var due = await _readerClient.GetAccountAsync(new() { AccountId = account }, cancellationToken: _ct);
        var refreshed = await Eventually.Until(() => _readerClient.GetAccountAsync(new() { AccountId = account }, cancellationToken: _ct).ResponseAsync,
            summary => summary.TotalCredits == 999, TimeSpan.FromSeconds(5), "the reader replica to read the kept summary again from Redis");

        Assert.Equal(3, due.TotalCredits); // the reader that found it due was answered from memory
        Assert.Equal(999, refreshed!.TotalCredits);
    }

    [Fact]
    public async Task A_change_consumed_by_another_replica_is_seen_at_once_on_this_one()
    {
        var number = Requests.ResidentId(232);
        await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: number, credits: 2), cancellationToken: _ct);
        var account = (await bank.WaitForCreditsAsync(number, 1)).Account.AccountId;
        Assert.Equal(2, (await _readerClient.GetAccountAsync(new() { AccountId = account }, cancellationToken: _ct)).TotalCredits);
        Assert.Equal(2, (await _readerClient.GetAccountAsync(new() { AccountId = account }, cancellationToken: _ct)).TotalCredits);

        await bank.Assessor.SubmitOutcomeAsync(Requests.Certificate(documentNumber: number), cancellationToken: _ct);
        await bank.WaitForCreditsAsync(number, 2);
        // The bank's replica has committed the deposit and announced it; the reader kept the old summary (for up to
        // LocalSummaries.MaxAge, 30 s) and must have forgotten it within moments.
        var seen = await Eventually.Until(() => _readerClient.GetAccountAsync(new() { AccountId = account }, cancellationToken: _ct).ResponseAsync,
            summary => summary.LedgerEntryCount == 2, TimeSpan.FromSeconds(5), "the reader replica to show the second deposit");

        Assert.Equal(6, seen!.TotalCredits);
    }

    /// <summary>
    /// Banks an outcome for a new learner, has the reader replica read (and keep) the account, then writes another
    /// summary into Redis behind the service's back, so that no change is announced.
    /// </summary>
    private async Task<(string Account, GetAccountResponse Read)> ReadThenReplaceInRedisAsync(int learner, double credits, double replaced)
    {
        var number = Requests.ResidentId(learner);
        await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: number, credits: credits), cancellationToken: _ct);
        var account = (await bank.WaitForCreditsAsync(number, 1)).Account.AccountId;
        var read = await _readerClient.GetAccountAsync(new() { AccountId = account }, cancellationToken: _ct);
        var other = read.Clone();
        other.TotalCredits = replaced;
        await bank.Redis.GetDatabase().HashSetAsync(SummaryKey(account), "summary", other.ToByteArray());
        return (account, read);
    }

    private static RedisKey SummaryKey(string accountId) => $"creditbank:accounts:{{{Guid.Parse(accountId):N}}}:summary";
}
