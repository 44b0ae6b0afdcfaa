using System.Collections.Concurrent;
using System.Text.Json;
using CreditBank.Contracts.Events;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Conversion.Data;
using CreditBank.Messaging;
using CreditBank.Recognition.Data;
using Grpc.Core;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditBank.Integration.Tests;

/// <summary>
/// SubmitOutcome calls that arrive together are written in one PostgreSQL transaction (group commit), and each caller
/// still gets its own answer — also when one of the group is a retry, a duplicate or a reused request_id.
/// </summary>
public sealed class SubmitGroups(DistributedBankHost bank)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Outcomes_submitted_together_share_transactions_and_each_caller_gets_its_own_outcome()
    {
        var requests = Enumerable.Range(0, 64).Select(_ => Requests.Course(documentNumber: Requests.ResidentId(241), credits: 2)).ToList();

        var answers = await Task.WhenAll(requests.Select(r => bank.Institutions.SubmitOutcomeAsync(r, cancellationToken: _ct).ResponseAsync));

        Assert.All(answers, a => Assert.Equal(OutcomeStatus.Recognised, a.Status));
        Assert.Equal(requests.Count, answers.Select(a => a.OutcomeId).Distinct().Count());
        var ids = answers.Select(a => Guid.Parse(a.OutcomeId)).ToArray();
        // Rows inserted by one transaction carry its id in xmin: one transaction per call would give 64 of them.
        var transactions = await RecognitionScalarAsync(db => db.Database.SqlQuery<long>(
            $"SELECT count(DISTINCT xmin::text)::bigint AS \"Value\" FROM outcomes WHERE id = ANY({ids})"));
        Assert.InRange(transactions, 1, requests.Count / 2);
        // Each outcome's event was queued once (the relay has published and marked them since, which changed their xmin).
        var withoutOneEvent = await RecognitionScalarAsync(db => db.Database.SqlQuery<long>(
            $"""
             SELECT count(*)::bigint AS "Value" FROM outcomes o
             WHERE o.id = ANY({ids}) AND (SELECT count(*) FROM outbox_messages m WHERE m.body LIKE '%' || o.id::text || '%') <> 1
             """));
        Assert.Equal(0, withoutOneEvent);
    }

    [Fact]
    public async Task Under_steady_load_the_writers_take_turns_with_whole_groups()
    {
        // 32 callers submitting back to back: while one writer has a group in the database, the calls that arrive wait
        // for it and go together, instead of the other writer taking them a few at a time.
        var ids = new ConcurrentBag<Guid>();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async caller =>
        {
            for (var i = 0; i < 8; i++)
            {
                var answer = await Submit(Requests.Course(documentNumber: Requests.CohortResidentId(30_000 + caller), credits: 1));
                ids.Add(Guid.Parse(answer.OutcomeId));
            }
        }));

        // Rows inserted by one transaction carry its id in xmin. Two writers taking turns write what ~16 callers sent
        // meanwhile in each transaction (16–22 transactions here); writers that each took whatever was waiting wrote
        // 32–38, several of them holding a single outcome.
        var idArray = ids.ToArray();
        var transactions = await RecognitionScalarAsync(db => db.Database.SqlQuery<long>(
            $"SELECT count(DISTINCT xmin::text)::bigint AS \"Value\" FROM outcomes WHERE id = ANY({idArray})"));
        Assert.True(transactions <= 26, $"{idArray.Length} outcomes written in {transactions} transactions");
    }

    [Fact]
    public async Task Outcomes_of_two_institutions_written_together_are_announced_in_one_event_per_institution_and_each_is_credited_and_copied_once()
    {
        var learners = Enumerable.Range(251, 8).Select(Requests.ResidentId).ToList();
        var requests = learners.SelectMany(l => Enumerable.Range(0, 4).Select(_ => (Learner: l, Client: bank.Institutions, Request: Requests.Course(documentNumber: l, credits: 2))))
            .Concat(learners.SelectMany(l => Enumerable.Range(0, 4).Select(_ => (Learner: l, Client: bank.Assessor, Request: Requests.Certificate(documentNumber: l)))))
            .ToList();

        var answers = await Task.WhenAll(requests.Select(r => r.Client.SubmitOutcomeAsync(r.Request, cancellationToken: _ct).ResponseAsync));

        Assert.All(answers, a => Assert.Equal(OutcomeStatus.Recognised, a.Status));
        var ids = answers.Select(a => Guid.Parse(a.OutcomeId)).ToHashSet();
        var announced = await GroupEventsCarryingAsync(ids);
        var outcomes = announced.SelectMany(e => e.Outcomes).ToList();
        // Each group's new outcomes travel in one event per actor, never mixed: fewer messages than the outcomes they carry
        // (how the calls fall into groups depends on timing; a call written alone is a group of one).
        Assert.NotEmpty(announced);
        Assert.All(announced, e => Assert.Single(e.Outcomes.Select(o => o.InstitutionCode).Distinct()));
        Assert.True(announced.Count < outcomes.Count, $"{announced.Count} events for {outcomes.Count} outcomes");
        Assert.Equal(outcomes.Count, outcomes.Select(o => o.OutcomeId).Distinct().Count());

        // Whichever event type carried an outcome, accounts credits it once and conversion copies it once.
        foreach (var learner in learners)
        {
            var account = await bank.WaitForCreditsAsync(learner, 8);
            Assert.Equal(8, account.LedgerEntryCount);
        }

        var copied = await Eventually.Until(async () =>
        {
            await using var scope = bank.Conversion.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConversionDb>();
            return await db.LearnerOutcomes.CountAsync(o => ids.Contains(o.OutcomeId), _ct);
        }, n => n >= ids.Count, what: "conversion to copy every outcome");
        Assert.Equal(ids.Count, copied);
    }

    [Fact]
    public async Task A_redelivered_group_event_adds_no_second_ledger_entry()
    {
        var learner = Requests.ResidentId(259);
        var answers = await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(_ => bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: learner, credits: 1), cancellationToken: _ct).ResponseAsync));
        await bank.WaitForCreditsAsync(learner, answers.Length);
        var ids = answers.Select(a => Guid.Parse(a.OutcomeId)).ToHashSet();
        var original = (await GroupEventsCarryingAsync(ids))[0];
        var consumedBefore = bank.Consumed.Count;

        // The relay crashed after publishing and before marking its row: the same event, with the same MessageId, again.
        var bus = bank.Recognition.Services.GetRequiredService<IBus>();
        await bus.Publish(original, c => c.MessageId = original.EventId, _ct);
        await bus.Publish(original, c => c.MessageId = original.EventId, _ct);
        await Eventually.Until(() => Task.FromResult(bank.Consumed.Count), n => n >= consumedBefore + 2, what: "both redeliveries to be consumed");
        var account = await bank.WaitForCreditsAsync(learner, answers.Length);

        Assert.Equal(answers.Length, account.LedgerEntryCount);
        Assert.Equal(answers.Length, account.TotalCredits);
    }

    [Fact]
    public async Task Retries_duplicates_and_reused_request_ids_among_concurrent_submissions_get_the_answers_they_would_get_alone()
    {
        var learner = Requests.ResidentId(242);
        var titles = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            var held = Requests.Course(documentNumber: learner);
            var first = await bank.Institutions.SubmitOutcomeAsync(held, cancellationToken: _ct);
            var sameOutcomeNewRequest = held.Clone();
            sameOutcomeNewRequest.RequestId = Guid.NewGuid().ToString();
            var reused = Requests.Course(documentNumber: learner);
            reused.RequestId = held.RequestId;
            var twice = Requests.Course(documentNumber: learner);
            var fresh = Enumerable.Range(0, 24).Select(_ => Requests.Course(documentNumber: learner)).ToList();

            var retried = Submit(held);
            var duplicate = Submit(sameOutcomeNewRequest);
            var refused = Submit(reused);
            var twiceFirst = Submit(twice);
            var twiceAgain = Submit(twice);
            titles.AddRange(fresh.Append(held).Append(twice).Select(r => r.Course.Title));
            var freshAnswers = fresh.Select(Submit).ToList();
            await Task.WhenAll(new[] { retried, duplicate, twiceFirst, twiceAgain }.Concat(freshAnswers).Append(Catch(refused)));

            Assert.Equal(first, await retried);
            Assert.True((await duplicate).Duplicate);
            Assert.Equal(first.OutcomeId, (await duplicate).OutcomeId);
            var refusal = await Assert.ThrowsAsync<RpcException>(() => refused);
            Assert.Equal(StatusCode.AlreadyExists, refusal.StatusCode);
            Assert.Equal("REQUEST_ID_REUSED", refusal.ErrorInfo()?.Reason);
            Assert.Equal(await twiceFirst, await twiceAgain);
            Assert.False((await twiceFirst).Duplicate);
            var freshIds = (await Task.WhenAll(freshAnswers)).Select(a => a.OutcomeId).ToList();
            Assert.Equal(fresh.Count, freshIds.Distinct().Count());
            Assert.DoesNotContain(first.OutcomeId, freshIds);
        }

        // Three rounds: per round the held outcome, the outcome sent twice, and the fresh ones — nothing else, nothing twice.
        var stored = await RecognitionScalarAsync(db => db.Outcomes.CountAsync(o => titles.Contains(o.CourseTitle!), _ct));
        Assert.Equal(3 * (1 + 1 + 24), stored);
    }

    /// <summary>The OutcomesRecognised events recognition queued that carry any of <paramref name="outcomeIds"/>.</summary>
    private async Task<List<OutcomesRecognised>> GroupEventsCarryingAsync(IReadOnlySet<Guid> outcomeIds)
    {
        var rows = await RecognitionScalarAsync(db => db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.Type.EndsWith("." + nameof(OutcomesRecognised))).ToListAsync(_ct));
        return rows.Select(m => JsonSerializer.Deserialize<OutcomesRecognised>(m.Body, EventJson.Options)!)
            .Where(e => e.Outcomes.Any(o => outcomeIds.Contains(o.OutcomeId))).ToList();
    }

    private Task<SubmitOutcomeResponse> Submit(SubmitOutcomeRequest request) =>
        bank.Institutions.SubmitOutcomeAsync(request, cancellationToken: _ct).ResponseAsync;

    private static async Task Catch(Task task)
    {
        try
        {
            await task;
        }
        catch (RpcException)
        {
        }
    }

    private async Task<T> RecognitionScalarAsync<T>(Func<RecognitionDb, IQueryable<T>> query)
    {
        await using var scope = bank.Recognition.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<RecognitionDb>()).SingleAsync(_ct);
    }

    private async Task<T> RecognitionScalarAsync<T>(Func<RecognitionDb, Task<T>> query)
    {
        await using var scope = bank.Recognition.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<RecognitionDb>());
    }
}
