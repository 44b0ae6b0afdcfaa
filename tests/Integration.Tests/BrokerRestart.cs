using CreditBank.Messaging;
using CreditBank.Recognition.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditBank.Integration.Tests;

/// <summary>Nothing lost, nothing twice: RabbitMQ goes away while institutions keep submitting.</summary>
[Collection(typeof(RunsAlone))]
public sealed class BrokerRestart(DistributedBankHost bank)
{
    private const int Learners = 10;
    private const int OutcomesPerLearner = 4;

    [Fact]
    public async Task Outcomes_submitted_while_rabbitmq_is_down_are_held_by_the_outbox_and_credited_exactly_once_after()
    {
        var ct = TestContext.Current.CancellationToken;
        var numbers = Enumerable.Range(300, Learners).Select(Requests.ResidentId).ToList();
        var requests = Enumerable.Range(0, OutcomesPerLearner).SelectMany(i => numbers.Select(n => Requests.Course(documentNumber: n, credits: 1 + i))).ToList();
        var outcomeIds = new List<string>();

        foreach (var request in requests.Take(10))
        {
            outcomeIds.Add((await bank.Institutions.SubmitOutcomeAsync(request, cancellationToken: ct)).OutcomeId);
        }

        await RealInfrastructure.StopRabbitMqAsync();
        try
        {
            foreach (var request in requests.Skip(10))
            {
                outcomeIds.Add((await bank.Institutions.SubmitOutcomeAsync(request, cancellationToken: ct)).OutcomeId);
            }

            // Submissions were accepted without a broker; their events wait in the outbox.
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            Assert.True(await PendingOutboxRowsAsync() > 0, "with the broker down, events should be waiting in the outbox");
        }
        finally
        {
            await RealInfrastructure.StartRabbitMqAsync();
        }

        var expected = requests.GroupBy(r => r.Learner.DocumentNumber).ToDictionary(g => g.Key, g => g.Sum(r => r.Course.Credits));
        foreach (var number in numbers)
        {
            var account = await bank.WaitForCreditsAsync(number, OutcomesPerLearner, TimeSpan.FromSeconds(90));
            Assert.Equal(expected[number], account.TotalCredits);
        }

        await Eventually.Until(PendingOutboxRowsAsync, n => n == 0, TimeSpan.FromSeconds(30), "the outbox to drain");
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        var credited = new List<string>();
        foreach (var number in numbers)
        {
            var account = await bank.WaitForCreditsAsync(number, OutcomesPerLearner);
            Assert.Equal(OutcomesPerLearner, account.LedgerEntryCount);
            var ledger = await bank.Learners.ListLedgerEntriesAsync(new() { AccountId = account.Account.AccountId, PageSize = 100 }, cancellationToken: ct);
            credited.AddRange(ledger.Entries.Select(e => e.OutcomeId));
        }

        Assert.Equal(outcomeIds.Order(), credited.Order());
    }

    private async Task<int> PendingOutboxRowsAsync()
    {
        await using var scope = bank.Recognition.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecognitionDb>();
        return await db.Set<OutboxMessage>().CountAsync(m => m.PublishedAtMs == null);
    }
}
