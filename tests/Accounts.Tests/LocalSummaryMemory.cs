using CreditBank.Accounts.Data;

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
    public void A_summary_past_its_refresh_time_is_still_served_and_one_reader_is_asked_to_read_it_again()
    {
        var clock = new SettableClock(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        var memory = new LocalSummaries(clock);
        memory.Listen();
        var keptAt = clock.Now;
        var accounts = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();
        foreach (var account in accounts)
        {
            memory.Keep(account, new CachedAccountSummary(new() { TotalCredits = 1 }, null), memory.ChangesHeard(account));
        }

        clock.Now += LocalSummaries.RefreshFrom - TimeSpan.FromMilliseconds(1);
        Assert.All(accounts, account => Assert.False(Refresh(account)));

        // Halfway through the refresh times: some are due, some not yet — summaries kept together are not read again
        // together. Every one is still served, and a due one is handed to one reader only.
        clock.Now += (LocalSummaries.RefreshTo - LocalSummaries.RefreshFrom) / 2;
        Assert.All(accounts, account => Assert.NotNull(memory.Find(account))); // a look takes no refresh away
        var due = accounts.Where(Refresh).ToList();
        Assert.InRange(due.Count, 1, accounts.Count - 1);
        Assert.All(due, account => Assert.False(Refresh(account)));

        clock.Now += LocalSummaries.RefreshTo - LocalSummaries.RefreshFrom;
        Assert.All(accounts.Except(due), account => Assert.True(Refresh(account)));

        // What was never read again lapses at the most it may be kept; what was kept again counts from then.
        var readAgain = due[0];
        memory.Keep(readAgain, new CachedAccountSummary(new() { TotalCredits = 2 }, null), memory.ChangesHeard(readAgain));
        clock.Now = keptAt + LocalSummaries.MaxAge - TimeSpan.FromMilliseconds(1);
        Assert.NotNull(memory.Find(accounts.First(account => account != readAgain)));
        clock.Now += TimeSpan.FromMilliseconds(2);
        Assert.All(accounts.Except([readAgain]), account => Assert.Null(memory.Find(account)));
        Assert.Equal(2, memory.Find(readAgain)!.Summary.TotalCredits);

        bool Refresh(Guid account)
        {
            Assert.NotNull(memory.Find(account, out var refresh));
            return refresh;
        }
    }
}
