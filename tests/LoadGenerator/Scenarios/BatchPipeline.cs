using System.Diagnostics;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.LoadGenerator.Measures;

namespace CreditBank.LoadGenerator.Scenarios;

/// <param name="Outcomes">Lines in all, shared out between the institutions.</param>
/// <param name="PerLearner">Consecutive lines per learner (a learner's courses of the semester).</param>
/// <param name="FirstLearner">Learner numbers this run may use: [FirstLearner, FirstLearner + Outcomes / PerLearner).</param>
public sealed record BatchPipelineOptions(long Outcomes, long PerLearner, long FirstLearner, TimeSpan Timeout);

/// <summary>One institution's part of a batch run: <paramref name="Lines"/> lines about learners from <paramref name="FirstLearner"/> on.</summary>
public sealed record BatchShare(InstitutionClient Institution, long Lines, long FirstLearner);

/// <summary>What the batch pipeline did: lines sent, lines the bank accepted, and outcomes credited per second.</summary>
public sealed record BatchPipelineResult(int Institutions, long Lines, long Accepted, long Credited, double UploadSeconds, double CreditedSeconds)
{
    /// <summary>From the first line sent until the last ledger entry existed.</summary>
    public double CreditedPerSecond => Credited / CreditedSeconds;
}

/// <summary>
/// Scenario 1: every institution uploads its semester as one batch (client streaming), all at once; the clock runs from
/// the first line sent until the last deposit is in the ledger.
/// </summary>
public static class BatchPipeline
{
    public static async Task<BatchPipelineResult> RunAsync(BankConnection bank, BatchPipelineOptions options, CancellationToken ct = default)
    {
        var institutions = bank.Institutions;
        var ledger = new Ledger(bank.AccountsDatabase);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var uploads = Shares(institutions, options).Select(share =>
            UploadAsync(share.Institution, Guid.NewGuid().ToString(), share.Lines, options.PerLearner, share.FirstLearner, ct: ct)).ToList();
        var answers = await Task.WhenAll(uploads);
        var uploadSeconds = clock.Elapsed.TotalSeconds;
        var accepted = answers.Sum(a => a.Batch.Accepted);
        var recognised = answers.Sum(a => a.Batch.Recognised);
        if (accepted != options.Outcomes || recognised != accepted)
        {
            var problem = answers.SelectMany(a => a.Problems).FirstOrDefault();
            throw new InvalidOperationException(
                $"The bank accepted {accepted} and recognised {recognised} of {options.Outcomes} generated lines; every line should be. First problem: {problem}");
        }

        var until = DateTime.UtcNow + options.Timeout;
        long credited;
        while ((credited = await ledger.CountDepositsSinceAsync(started, ct)) < accepted)
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Only {credited} of {accepted} outcomes were credited within {options.Timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(100, ct);
        }

        return new BatchPipelineResult(institutions.Count, options.Outcomes, accepted, credited, uploadSeconds, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Each institution's part of the lines, and the first learner of its part (no two parts share a learner).</summary>
    public static IReadOnlyList<BatchShare> Shares(IReadOnlyList<InstitutionClient> institutions, BatchPipelineOptions options)
    {
        var share = options.Outcomes / institutions.Count;
        return institutions.Select((institution, i) => new BatchShare(institution,
            i == institutions.Count - 1 ? options.Outcomes - share * i : share,
            options.FirstLearner + share * i / options.PerLearner + i)).ToList();
    }

    /// <summary>
    /// One institution's batch as one stream: the header, then every line. The same <paramref name="requestId"/> again
    /// resumes the batch (the bank skips the lines it already has); <paramref name="lineSent"/> is called after each line.
    /// </summary>
    public static async Task<UploadBatchResponse> UploadAsync(InstitutionClient institution, string requestId, long lines, long perLearner, long firstLearner,
        Action? lineSent = null, CancellationToken ct = default)
    {
        var batches = new BatchService.BatchServiceClient(institution.Recognition);
        using var call = batches.UploadBatch(cancellationToken: ct);
        await call.RequestStream.WriteAsync(new UploadBatchRequest
        {
            Header = new BatchHeader { RequestId = requestId, InstitutionCode = institution.Code, TotalLines = lines },
        }, ct);
        for (var line = 0L; line < lines; line++)
        {
            var learner = firstLearner + line / perLearner;
            await call.RequestStream.WriteAsync(new UploadBatchRequest { Line = OutcomeLines.Line(line + 1, learner, line % perLearner) }, ct);
            lineSent?.Invoke();
        }

        await call.RequestStream.CompleteAsync();
        return await call;
    }
}
