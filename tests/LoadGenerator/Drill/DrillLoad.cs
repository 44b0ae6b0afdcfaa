using System.Collections.Concurrent;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.LoadGenerator.Scenarios;
using Grpc.Core;
using Npgsql;

namespace CreditBank.LoadGenerator.Drill;

/// <param name="Batch">The batch: its lines shared out between the institutions, one stream each (<see cref="BatchPipeline"/>).</param>
/// <param name="Submits">The single submits' learners and courses (<see cref="SubmitPipeline"/>).</param>
/// <param name="SubmitsPerSecond">Offered rate of single submits while the phase runs.</param>
/// <param name="RevokeEverySubmit">Every n-th submit is revoked as soon as SubmitOutcome has answered.</param>
/// <param name="RevokeEveryBatchLine">Every n-th batch line is revoked as soon as ListBatchLines shows it stored.</param>
public sealed record DrillLoadOptions(BatchPipelineOptions Batch, SubmitOptions Submits, double SubmitsPerSecond, int RevokeEverySubmit, int RevokeEveryBatchLine);

/// <summary>What the load did, as its client saw it.</summary>
public sealed record DrillLoadFigures
{
    public long BatchLines { get; init; }

    /// <summary>Lines the bank accepted, from each batch's last answer.</summary>
    public long BatchAccepted { get; init; }

    /// <summary>Streams broken by the fault and sent again with the same request_id.</summary>
    public long BatchResumes { get; init; }

    public long SubmitsAnswered { get; init; }

    /// <summary>Submits that never got an answer, however often they were sent again.</summary>
    public long SubmitsAbandoned { get; init; }

    /// <summary>Calls (submits, revocations, batch lookups) that failed and were made again.</summary>
    public long Retries { get; init; }

    /// <summary>RevokeOutcome calls answered (RevokedNow or already revoked).</summary>
    public long RevocationsAnswered { get; init; }

    /// <summary>… of them revocations of submits, issued right after SubmitOutcome answered.</summary>
    public long SubmitRevocations { get; init; }

    /// <summary>… of them revocations of batch lines, issued as soon as the lines were stored.</summary>
    public long BatchRevocations { get; init; }

    public long RevocationsAbandoned { get; init; }

    /// <summary>Answers the drill did not expect (a refusal, a batch line not accepted), the first few.</summary>
    public IReadOnlyList<string> Unexpected { get; init; } = [];

    /// <summary>Outcomes the client was told of: batch lines accepted and distinct submits answered.</summary>
    public long OutcomesAnswered => BatchAccepted + SubmitsAnswered;
}

/// <summary>
/// One phase's load, as institutions would bring it during an outage: each institution streams its part of a big batch
/// (resumed with the same request_id when the stream breaks), single submits arrive at a steady rate, and some are
/// withdrawn at once — every n-th submit right after its answer, every n-th batch line as soon as the batch shows it
/// stored. Every call that fails for want of the bank (unavailable, timed out) is made again, as a client with a
/// retry policy would, so that the client knows every outcome it caused.
/// </summary>
public sealed class DrillLoad
{
    /// <summary>
    /// How long a call is tried again before the client gives up. On two shared cores a service started again with a
    /// backlog took minutes to catch up; a client that gave up after 5 minutes left outcomes stored that it was never
    /// answered about.
    /// </summary>
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The longest pause between two tries. Paused at most 3 s, the thousands of submits waiting behind a restarted
    /// recognition came back ~600 times a second, every one answered RESOURCE_EXHAUSTED, and kept it from catching up:
    /// a retry storm made by the client, which a real client's policy (exponential back-off with jitter) avoids.
    /// </summary>
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);

    private readonly string _recognitionDatabase;
    private readonly DrillLoadOptions _options;
    private readonly CancellationToken _ct;
    private readonly CancellationTokenSource _stopSubmits = new();
    private readonly CancellationTokenSource _abandon;
    private readonly SemaphoreSlim _batchRevocationsInFlight = new(16);
    private readonly ConcurrentQueue<string> _unexpected = new();
    private readonly ConcurrentBag<Task> _revocations = [];
    private readonly ConcurrentDictionary<string, byte> _submitted = new();
    private long _linesSent, _batchAccepted, _resumes, _submitsAbandoned, _retries, _revocationsAnswered, _submitRevocations, _batchRevocations,
        _revocationsAbandoned;

    private DrillLoad(string recognitionDatabase, DrillLoadOptions options, CancellationToken ct)
    {
        (_recognitionDatabase, _options) = (recognitionDatabase, options);
        _abandon = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _ct = _abandon.Token;
    }

    /// <summary>The batch streams and the revisers of their lines, done once every batch is complete and every chosen line revoked.</summary>
    public Task Batches { get; private set; } = Task.CompletedTask;

    private Task Submits { get; set; } = Task.CompletedTask;

    /// <summary>Starts the batch streams, the revisers and the stream of submits.</summary>
    public static DrillLoad Start(BankConnection bank, string recognitionDatabase, DrillLoadOptions options, CancellationToken ct = default)
    {
        var load = new DrillLoad(recognitionDatabase, options, ct);
        load.Batches = Task.WhenAll(BatchPipeline.Shares(bank.Institutions, options.Batch).Select(share => Task.Run(() => load.BatchAsync(share), load._ct)));
        load.Submits = Task.Run(() => SubmitPipeline.OpenLoopAsync(bank, options.Submits, options.SubmitsPerSecond, long.MaxValue, load.SubmitAsync, load._ct,
            load._stopSubmits.Token), load._ct);
        return load;
    }

    /// <summary>Waits until this share of the batch's lines has been sent (the moment a fault strikes mid-batch).</summary>
    public async Task BatchProgressAsync(double share, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (Interlocked.Read(ref _linesSent) < share * _options.Batch.Outcomes && !Batches.IsCompleted && DateTime.UtcNow < until)
        {
            await Task.Delay(50, _ct);
        }
    }

    /// <summary>Stops the submits, then waits for every call still under way (and its retries) and for the batches.</summary>
    public async Task<DrillLoadFigures> FinishAsync()
    {
        await _stopSubmits.CancelAsync();
        await Task.WhenAll(Submits, Batches);
        await Task.WhenAll(_revocations);
        return new DrillLoadFigures
        {
            BatchLines = _options.Batch.Outcomes,
            BatchAccepted = _batchAccepted,
            BatchResumes = _resumes,
            SubmitsAnswered = _submitted.Count,
            SubmitsAbandoned = _submitsAbandoned,
            Retries = _retries,
            RevocationsAnswered = _revocationsAnswered,
            SubmitRevocations = _submitRevocations,
            BatchRevocations = _batchRevocations,
            RevocationsAbandoned = _revocationsAbandoned,
            Unexpected = _unexpected.Take(10).ToList(),
        };
    }

    /// <summary>Stops everything at once (the phase failed): no call is made or retried any more, and none is awaited for its answer.</summary>
    public async Task AbandonAsync()
    {
        await _abandon.CancelAsync();
        await _stopSubmits.CancelAsync();
        try
        {
            await Task.WhenAll([Submits, Batches, .. _revocations]);
        }
        catch (Exception)
        {
            // Whatever the calls cut off ended with: abandoning means not waiting for their answers.
        }
    }

    private async Task SubmitAsync(Submit submit)
    {
        var answer = await PersistAsync($"submit {submit.N}", () => submit.Client.SubmitOutcomeAsync(submit.Request, deadline: Deadline(), cancellationToken: _ct).ResponseAsync);
        if (answer is null)
        {
            Interlocked.Increment(ref _submitsAbandoned);
            return;
        }

        _submitted[answer.OutcomeId] = 0;
        if (submit.N % _options.RevokeEverySubmit == 0)
        {
            // At once, on the same task: the revocation leaves while the recognised event is still on its way.
            Interlocked.Increment(ref _submitRevocations);
            await RevokeAsync(submit.Client, answer.OutcomeId);
        }
    }

    /// <summary>One institution's part of the batch, resumed until the bank has every line; its lines revoked as they are stored.</summary>
    private async Task BatchAsync(BatchShare share)
    {
        var requestId = Guid.NewGuid().ToString();
        using var uploaded = new CancellationTokenSource();
        var reviser = Task.Run(() => ReviseAsync(share, requestId, uploaded.Token), _ct);
        // Given up only when no line could be sent for GiveUpAfter: a slow batch on a busy machine is not a failed one.
        var lastLine = Environment.TickCount64;
        while (true)
        {
            try
            {
                var answer = await BatchPipeline.UploadAsync(share.Institution, requestId, share.Lines, _options.Batch.PerLearner, share.FirstLearner, () =>
                {
                    Interlocked.Increment(ref _linesSent);
                    lastLine = Environment.TickCount64;
                }, _ct);
                Interlocked.Add(ref _batchAccepted, answer.Batch.Accepted);
                if (answer.Batch.Accepted != share.Lines)
                {
                    _unexpected.Enqueue($"batch of {share.Institution.Code}: {answer.Batch.Accepted:N0} of {share.Lines:N0} lines accepted " +
                        $"({answer.Batch.Duplicates:N0} duplicates, {answer.Batch.Invalid:N0} invalid); first problem: {answer.Problems.FirstOrDefault()}");
                }

                break;
            }
            catch (Exception e) when (StreamBroke(e) && Environment.TickCount64 - lastLine < GiveUpAfter.TotalMilliseconds)
            {
                Interlocked.Increment(ref _resumes);
                await Task.Delay(TimeSpan.FromSeconds(1), _ct);
            }
            catch (Exception e) when (e is RpcException or IOException or HttpRequestException)
            {
                _unexpected.Enqueue($"batch of {share.Institution.Code} given up: {(e is RpcException rpc ? $"{rpc.StatusCode} {rpc.Status.Detail}" : e.Message)}");
                break;
            }
        }

        await uploaded.CancelAsync();
        await reviser;
    }

    /// <summary>
    /// Revokes every n-th line of one batch as soon as ListBatchLines shows it accepted. The upload answers its batch id
    /// only when it ends, so the reviser looks the id up by request_id in recognition's database, then reads the lines
    /// through the API as the institution does.
    /// </summary>
    private async Task ReviseAsync(BatchShare share, string requestId, CancellationToken uploaded)
    {
        var batches = new BatchService.BatchServiceClient(share.Institution.Recognition);
        var outcomes = new RecognitionService.RecognitionServiceClient(share.Institution.Recognition);
        Guid? batchId = null;
        var token = string.Empty;
        var lastLine = 0L;
        DateTime? endedAt = null;
        while (lastLine < share.Lines)
        {
            // Once the upload has ended, one last full pass: what it does not list was never accepted (the upload says so).
            var ending = uploaded.IsCancellationRequested;
            endedAt ??= ending ? DateTime.UtcNow : null;
            var passDone = false;
            try
            {
                batchId ??= await BatchIdAsync(share.Institution.Code, requestId);
                if (batchId is { } id)
                {
                    var page = await batches.ListBatchLinesAsync(new ListBatchLinesRequest
                    {
                        BatchId = id.ToString(), Result = LineResult.Accepted, PageSize = 1000, PageToken = token,
                    }, deadline: Deadline(), cancellationToken: _ct);
                    foreach (var line in page.Lines.Where(l => l.LineNumber > lastLine))
                    {
                        lastLine = line.LineNumber;
                        if (line.LineNumber % _options.RevokeEveryBatchLine == 0)
                        {
                            var outcomeId = line.OutcomeId;
                            Interlocked.Increment(ref _batchRevocations);
                            _revocations.Add(Task.Run(async () =>
                            {
                                // Many lines at once: a bounded number of calls in flight, as a client's pool would.
                                await _batchRevocationsInFlight.WaitAsync(_ct);
                                try
                                {
                                    await RevokeAsync(outcomes, outcomeId);
                                }
                                finally
                                {
                                    _batchRevocationsInFlight.Release();
                                }
                            }, _ct));
                        }
                    }

                    if (page.NextPageToken.Length > 0)
                    {
                        token = page.NextPageToken;
                        continue;
                    }

                    passDone = true;
                }
            }
            catch (Exception e) when (e is RpcException { StatusCode: var code } && Transient(code) || e is NpgsqlException)
            {
                Interlocked.Increment(ref _retries);
            }

            if (ending && (passDone || DateTime.UtcNow - endedAt > TimeSpan.FromSeconds(30)))
            {
                break;
            }

            await Task.Delay(200, _ct);
        }
    }

    private async Task<Guid?> BatchIdAsync(string institutionCode, string requestId)
    {
        await using var connection = new NpgsqlConnection(_recognitionDatabase);
        await connection.OpenAsync(_ct);
        await using var command = new NpgsqlCommand("SELECT id FROM batches WHERE institution_code = @institution AND request_id = @request", connection);
        command.Parameters.AddWithValue("institution", institutionCode);
        command.Parameters.AddWithValue("request", requestId);
        return await command.ExecuteScalarAsync(_ct) is Guid id ? id : null;
    }

    private async Task RevokeAsync(RecognitionService.RecognitionServiceClient client, string outcomeId)
    {
        var answer = await PersistAsync($"revoke {outcomeId}", () => client.RevokeOutcomeAsync(new RevokeOutcomeRequest
        {
            OutcomeId = outcomeId,
            Reason = RevocationReason.SubmittedInError,
            Comment = "演练：提交有误，立即撤销",
        }, deadline: Deadline(), cancellationToken: _ct).ResponseAsync, retryConflicts: true);
        if (answer is null)
        {
            Interlocked.Increment(ref _revocationsAbandoned);
        }
        else
        {
            Interlocked.Increment(ref _revocationsAnswered);
        }
    }

    /// <summary>The call, made again while it fails for want of the bank; null when it never succeeded.</summary>
    private async Task<T?> PersistAsync<T>(string what, Func<Task<T>> call, bool retryConflicts = false)
        where T : class
    {
        var until = DateTime.UtcNow + GiveUpAfter;
        var pause = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when ((Transient(e.StatusCode) || (retryConflicts && e.StatusCode == StatusCode.FailedPrecondition)) && DateTime.UtcNow < until)
            {
                Interlocked.Increment(ref _retries);
                // Jitter (half to all of the pause): callers that failed together do not come back together.
                await Task.Delay(pause * (0.5 + Random.Shared.NextDouble() / 2), _ct);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
            catch (RpcException e)
            {
                _unexpected.Enqueue($"{what}: {e.StatusCode} {e.Status.Detail}");
                return null;
            }
        }
    }

    /// <summary>
    /// A batch stream cut off by the bank: a status, or — when the server went away while a line was being written — the
    /// connection's own error, which a client stream's write surfaces as it is.
    /// </summary>
    private static bool StreamBroke(Exception e) => e is RpcException rpc ? Transient(rpc.StatusCode) : e is IOException or HttpRequestException;

    /// <summary>Failures of the bank, not of the request: another try may succeed.</summary>
    private static bool Transient(StatusCode code) => code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal
        or StatusCode.Unknown or StatusCode.ResourceExhausted or StatusCode.Aborted or StatusCode.Cancelled;

    private static DateTime Deadline() => DateTime.UtcNow + CallDeadline;
}
