using CreditBank.Accounts.Data;
using CreditBank.TestSupport;
using Xunit;

namespace CreditBank.Accounts.Tests;

/// <summary>
/// A replica's memory of account summaries (<see cref="LocalSummaries"/>) against the races it must survive; the
/// replicas themselves, over Redis, are in Integration.Tests (<c>AccountReplicas</c>).
/// </summary>
public sealed class LocalSummaryMemory
{
    [Fact]
    public void A_summary_read_before_a_change_was_heard_is_not_kept()
    {
        var memory = new LocalSummaries(TimeProvider.System);
        memory.Listen();
        var account = Guid.NewGuid();
        var old = new CachedAccountSummary(new() { TotalCredits = 1 }, null);

        var heard = memory.ChangesHeard(account); // a reader notes what it has heard, then reads Redis…
        memory.Forget(account);                    // …a change of the account is announced meanwhile…
        memory.Keep(account, old, heard);          // …and the reader offers what it read.
        Assert.Null(memory.Find(account));
        var fresh = new CachedAccountSummary(new() { TotalCredits = 2 }, null);
        memory.Keep(account, fresh, memory.ChangesHeard(account));

        Assert.Same(fresh, memory.Find(account));
        memory.Forget(account);
        Assert.Null(memory.Find(account));
    }

    [Fact]
    public void Nothing_is_served_from_memory_while_the_subscription_is_down()
    {
        var memory = new LocalSummaries(TimeProvider.System);
        memory.Listen();
        var account = Guid.NewGuid();
        var summary = new CachedAccountSummary(new() { TotalCredits = 1 }, null);
        memory.Keep(account, summary, memory.ChangesHeard(account));
        Assert.Same(summary, memory.Find(account));

        var heard = memory.ChangesHeard(account);
        memory.StopListening();
        memory.Keep(account, summary, heard);
        Assert.Null(memory.Find(account));
        memory.Listen();
        Assert.Null(memory.Find(account)); // forgotten when it stopped listening, not merely hidden
    }

    [Fact]
    public void Summaries_kept_together_are_not_all_forgotten_together_and_none_outlives_the_max_age()
    {
        var clock = new SettableClock(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        var memory = new LocalSummaries(clock);
        memory.Listen();
        var accounts = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();
        foreach (var account in accounts)
        {
            memory.Keep(account, new CachedAccountSummary(new() { TotalCredits = 1 }, null), memory.ChangesHeard(account));
        }

        clock.Now += LocalSummaries.MinAge - TimeSpan.FromMilliseconds(1);
        Assert.All(accounts, account => Assert.NotNull(memory.Find(account)));

        // Halfway between the least and the most time kept: some are gone, some are still there.
        clock.Now += (LocalSummaries.MaxAge - LocalSummaries.MinAge) / 2;
        var kept = accounts.Count(account => memory.Find(account) is not null);
        Assert.InRange(kept, 1, accounts.Count - 1);

        clock.Now += LocalSummaries.MaxAge - LocalSummaries.MinAge;
        Assert.All(accounts, account => Assert.Null(memory.Find(account)));
    }
}
