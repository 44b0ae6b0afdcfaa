using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Events;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.PersonalData;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OutcomeStatus = CreditBank.Contracts.Recognition.V1.OutcomeStatus;

namespace CreditBank.Integration.Tests;

/// <summary>
/// A semester's batch through the whole bank on real infrastructure: chunks stored in bulk (COPY) by recognition,
/// one OutcomesRecognised per chunk through RabbitMQ, deposits stored in bulk by accounts — every recognised line
/// banked exactly once, however the chunks race.
/// </summary>
[Collection(typeof(RunsAlone))]
public sealed class BatchToLedger(DistributedBankHost bank)
{
    private static readonly TimeSpan Banking = TimeSpan.FromMinutes(3);

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_of_several_chunks_banks_every_recognised_line_once_and_sending_it_again_adds_nothing()
    {
        const int learners = 600;
        var run = Guid.NewGuid().ToString("N")[..6];
        var lines = Enumerable.Range(1, 4500).Select(n => Semester(n, Requests.CohortResidentId(n % learners), run)).ToList();
        for (var n = 1001; n <= 1005; n++)
        {
            lines[n - 1].Learner.DocumentNumber = lines[n - 1].Learner.DocumentNumber[..17] + (lines[n - 1].Learner.DocumentNumber[17] == '1' ? '2' : '1');
        }

        lines[3333 - 1].Course.Credits = 40;                // more than a course may carry
        lines[2500 - 1] = lines[10 - 1].Clone();             // the same course twice in one file, chunks apart
        lines[4000 - 1] = lines[2001 - 1].Clone();

        var first = await UploadAsync(Guid.NewGuid().ToString(), lines);
        var banked = await BankedAsync(first.Batch.BatchId, lines);
        var expected = banked.GroupBy(b => b.DocumentNumber).ToList();
        foreach (var learner in expected)
        {
            await AssertLedgerAsync(learner.Key, [.. learner]);
        }

        var again = await UploadAsync(Guid.NewGuid().ToString(), lines);
        var resumed = await UploadAsync(first.Batch.RequestId, lines);
        foreach (var learner in expected.Take(50))
        {
            await AssertLedgerAsync(learner.Key, [.. learner]);
        }

        Assert.Equal(BatchState.Completed, first.Batch.State);
        Assert.Equal((4500, 6, 2), (first.Batch.LinesDone, first.Batch.Invalid, first.Batch.Duplicates));
        Assert.True(first.Batch.PendingReview > 0 && first.Batch.Rejected > 0, "the batch should hold outcomes for review and rejected ones, not only deposits");
        Assert.Equal(first.Batch.Recognised, banked.Count);
        Assert.Equal(learners - learners / 30, expected.Count); // a thirtieth hold only certificates no unit matches: all waiting for review
        Assert.Equal((0, 4494, 6), (again.Batch.Accepted, again.Batch.Duplicates, again.Batch.Invalid));
        Assert.Equal((first.Batch.BatchId, first.Batch.Accepted), (resumed.Batch.BatchId, resumed.Batch.Accepted));
    }

    [Fact]
    public async Task Two_batches_for_the_same_learners_uploaded_at_once_deposit_every_outcome_once_in_contiguous_sequences()
    {
        const int learners = 300;
        var run = Guid.NewGuid().ToString("N")[..6];
        // Every chunk of either batch touches every learner: chunks of both race for the same accounts.
        var spring = Enumerable.Range(1, 3000).Select(n => Course(Requests.CohortResidentId(10_000 + n % learners), $"春季 {run} {n}", 1 + n % 3)).ToList();
        var autumn = Enumerable.Range(1, 3000).Select(n => Course(Requests.CohortResidentId(10_000 + n % learners), $"秋季 {run} {n}", 0.5 + n % 2)).ToList();

        var answers = await Task.WhenAll(UploadAsync(Guid.NewGuid().ToString(), spring), UploadAsync(Guid.NewGuid().ToString(), autumn));
        var banked = (await BankedAsync(answers[0].Batch.BatchId, spring)).Concat(await BankedAsync(answers[1].Batch.BatchId, autumn)).ToList();
        var expected = banked.GroupBy(b => b.DocumentNumber).ToList();
        foreach (var learner in expected)
        {
            await AssertLedgerAsync(learner.Key, [.. learner]);
        }

        Assert.All(answers, a => Assert.Equal(3000, a.Batch.Recognised));
        Assert.Equal(learners, expected.Count);
        Assert.All(expected, learner => Assert.Equal(20, learner.Count()));
    }

    [Fact]
    public async Task A_chunk_delivered_several_times_at_once_is_banked_once()
    {
        var protector = bank.Accounts.Services.GetRequiredService<DocumentProtector>();
        var numbers = Enumerable.Range(20_000, 40).Select(Requests.CohortResidentId).ToList();
        var chunk = new OutcomesRecognised
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = DateTimeOffset.UtcNow,
            Actor = "institution:" + Requests.TrustedCollege,
            BatchId = Guid.NewGuid(),
            Outcomes = numbers.SelectMany((number, i) => Enumerable.Range(0, 3).Select(k =>
            {
                IdentityDocument.TryParse(PersonalData.DocumentType.ResidentIdCard, number, out var document, out _);
                var learner = protector.Protect(document!);
                return new RecognisedOutcome(Guid.CreateVersion7(), Requests.TrustedCollege,
                    new LearnerIdentity("RESIDENT_ID_CARD", learner.Hash, learner.Masked, learner.Sealed, "学生"), "COURSE", $"重投 {i} {k}", 1.5m);
            })).ToList(),
        };
        var consumedBefore = bank.Consumed.Count;

        // The relay died after publishing and before marking its row, more than once: the same MessageId, delivered at once.
        var bus = bank.Recognition.Services.GetRequiredService<IBus>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => bus.Publish(chunk, c => c.MessageId = chunk.EventId, _ct)));
        await Eventually.Until(() => Task.FromResult(bank.Consumed.Count), n => n >= consumedBefore + 4, Banking, "all four deliveries to be consumed");

        foreach (var (number, i) in numbers.Select((n, i) => (n, i)))
        {
            await AssertLedgerAsync(number, [.. chunk.Outcomes.Skip(3 * i).Take(3).Select(o => new Deposit(number, o.OutcomeId.ToString(), 1.5))]);
        }
    }

    private async Task<UploadBatchResponse> UploadAsync(string requestId, IReadOnlyList<BatchLine> lines)
    {
        using var call = bank.Batches.UploadBatch(cancellationToken: _ct);
        await call.RequestStream.WriteAsync(new() { Header = new() { RequestId = requestId, InstitutionCode = Requests.TrustedCollege, TotalLines = lines.Count } }, _ct);
        foreach (var line in lines)
        {
            await call.RequestStream.WriteAsync(new() { Line = line }, _ct);
        }

        await call.RequestStream.CompleteAsync();
        return await call;
    }

    /// <summary>What the batch says was recognised, line by line, as the learner's deposits should show it.</summary>
    private async Task<List<Deposit>> BankedAsync(string batchId, IReadOnlyList<BatchLine> lines)
    {
        var results = new List<BatchLineResult>();
        var page = new ListBatchLinesResponse();
        do
        {
            page = await bank.Batches.ListBatchLinesAsync(new() { BatchId = batchId, PageSize = 1000, PageToken = page.NextPageToken, Result = LineResult.Accepted },
                cancellationToken: _ct);
            results.AddRange(page.Lines);
        }
        while (page.NextPageToken != "");

        return results.Where(r => r.OutcomeStatus == OutcomeStatus.Recognised)
            .Select(r => new Deposit(lines[(int)r.LineNumber - 1].Learner.DocumentNumber, r.OutcomeId, r.Credits))
            .ToList();
    }

    /// <summary>The learner's ledger holds exactly these deposits, numbered 1, 2, 3 … without gaps, and the balance is their sum.</summary>
    private async Task AssertLedgerAsync(string documentNumber, IReadOnlyList<Deposit> deposits)
    {
        var account = await bank.Learners.WaitForLedgerAsync(documentNumber, deposits.Count, Banking, _ct);
        var ledger = await bank.Learners.ListLedgerEntriesAsync(new() { AccountId = account.Account.AccountId, PageSize = 1000 }, cancellationToken: _ct);

        Assert.Equal(deposits.Count, account.LedgerEntryCount);
        Assert.Equal(deposits.Sum(d => d.Credits), account.TotalCredits, 6);
        Assert.Equal(Enumerable.Range(1, deposits.Count).Select(n => (long)n), ledger.Entries.Select(e => e.Sequence));
        Assert.All(ledger.Entries, e => Assert.Equal(LedgerEntryKind.Deposit, e.Kind));
        Assert.Equal(deposits.Select(d => d.OutcomeId).Order(), ledger.Entries.Select(e => e.OutcomeId).Order());
    }

    /// <summary>Line <paramref name="n"/> of a semester: mostly courses (a few failed), 1+X certificates, training, and some certificates no unit matches.</summary>
    private static BatchLine Semester(int n, string documentNumber, string run) => (n % 10) switch
    {
        < 7 => Course(documentNumber, $"课程 {run} {n}", 1 + n % 4 * 0.5, grade: n % 97 == 0 ? "40" : "85"),
        < 9 => new BatchLine
        {
            Learner = new Learner { DocumentType = Contracts.Recognition.V1.DocumentType.ResidentIdCard, DocumentNumber = documentNumber, Name = "学生" },
            SkillCertificate = new SkillCertificate
            {
                CertificateName = n % 30 == 7 ? $"未登记的证书 {run}" : "工业机器人操作与运维职业技能等级证书", Level = (SkillLevel)(1 + n % 3),
                CertificateNumber = $"BK-{run}-{n:D5}", IssueDate = "2025-06-30",
            },
        },
        _ => new BatchLine
        {
            Learner = new Learner { DocumentType = Contracts.Recognition.V1.DocumentType.ResidentIdCard, DocumentNumber = documentNumber, Name = "学生" },
            TrainingRecord = new TrainingRecord { Title = $"数控加工培训 {run} {n}", Hours = 32, CompletionDate = "2025-12-20" },
        },
    };

    private static BatchLine Course(string documentNumber, string title, double credits, string grade = "85") => new()
    {
        Learner = new Learner { DocumentType = Contracts.Recognition.V1.DocumentType.ResidentIdCard, DocumentNumber = documentNumber, Name = "学生" },
        Course = new Course
        {
            CourseCode = "BK101", Title = title, Credits = credits, Hours = 48, Term = "2025-2026-1",
            Grade = new Grade { Scheme = GradingScheme.Percentage, Value = grade },
        },
    };

    private sealed record Deposit(string DocumentNumber, string OutcomeId, double Credits);
}
