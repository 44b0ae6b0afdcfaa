using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading.Channels;
using CreditBank.Contracts.Type.V1;
using CreditBank.Grpc;
using CreditBank.Persistence;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Submissions;

/// <summary>A decided submission waiting to be written, and the caller waiting for its answer.</summary>
internal sealed record PendingSubmission(
    string InstitutionCode, string RequestId, byte[] Fingerprint, Outcome Outcome, RecognitionDecision Decision, string Actor, DateTimeOffset Now)
{
    /// <summary>Evidence files a learner uploaded with their application, written with the outcome (none for institutions).</summary>
    public IReadOnlyList<EvidenceFile> Evidence { get; init; } = [];

    public TaskCompletionSource<V1.SubmitOutcomeResponse> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The call's span, taken while the call hands the submission over: the writer's span continues it.</summary>
    public ActivityContext Caller { get; } = RecognitionTelemetry.CallerContext();
}

/// <summary>
/// Writes the SubmitOutcome calls that arrive together in one transaction (group commit), each answered on its own:
/// one duplicate lookup, one bulk insert per table, one commit and one event per actor for the group
/// (<see cref="Contracts.Events.OutcomesRecognised"/>), instead of all four for every call.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="RecognitionOptions.SubmitWriters"/> loops each take what is waiting, up to
/// <see cref="RecognitionOptions.SubmitGroupSize"/> submissions, so a group is whatever arrived while the previous one
/// was being written: one submission when the bank is quiet, many under load. A writer that finds another one writing
/// gathers until that one's transaction ends, so that under load the writers take turns with whole groups.
/// </para>
/// <para>
/// A group that meets a unique violation — the retry of a request_id answered before, or an outcome that another
/// connection stored meanwhile — rolls back whole, and its submissions are written again one by one, each in its own
/// transaction: the retry gets its first answer, the outcome is answered as a duplicate. Submissions in one group that
/// share a request_id or an outcome are written one by one after the group, for the same reason.
/// </para>
/// <para>
/// A caller that gives up (deadline, cancellation) does not take its submission back: it is written, and its retry with
/// the same request_id gets the answer.
/// </para>
/// </remarks>
internal sealed partial class SubmissionWriter(IServiceScopeFactory scopes, IOptions<RecognitionOptions> options, ILogger<SubmissionWriter> logger)
    : IHostedService
{
    private static readonly TimeSpan RetryAfterStop = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest a writer gathers while another one writes: a group's transaction takes milliseconds, but the database
    /// may stall, and the callers gathered should not wait for it longer than the writers' two transactions at once would.
    /// </summary>
    private static readonly TimeSpan GatherAtMost = TimeSpan.FromMilliseconds(200);

    private readonly Channel<PendingSubmission> _waiting = Channel.CreateUnbounded<PendingSubmission>();
    private Task _writing = Task.CompletedTask;

    /// <summary>Writers with a group's first transaction in the database now.</summary>
    private int _writersBusy;

    /// <summary>Completed, and replaced, each time a writer's first transaction of a group has ended.</summary>
    private TaskCompletionSource _groupWritten = NewSignal();

    public async Task<V1.SubmitOutcomeResponse> WriteAsync(PendingSubmission submission, CancellationToken ct)
    {
        if (!_waiting.Writer.TryWrite(submission))
        {
            throw Problems.Unavailable("SHUTTING_DOWN",
                "This recognition replica is stopping and takes no more submissions; nothing was stored. Retry with the same request_id.", RetryAfterStop);
        }

        return await submission.Answer.Task.WaitAsync(ct);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writing = Task.WhenAll(Enumerable.Range(0, options.Value.SubmitWriters).Select(_ => Task.Run(WriteGroupsAsync, CancellationToken.None)));
        return Task.CompletedTask;
    }

    /// <summary>Takes no more submissions, and writes those already waiting.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _waiting.Writer.TryComplete();
        await _writing.WaitAsync(cancellationToken);
    }

    private async Task WriteGroupsAsync()
    {
        var groupSize = options.Value.SubmitGroupSize;
        var group = new List<PendingSubmission>(groupSize);
        while (await _waiting.Reader.WaitToReadAsync())
        {
            await GatherAsync(group, groupSize);
            if (group.Count == 0)
            {
                continue;
            }

            await WriteGroupAsync(group);
            group.Clear();
        }
    }

    /// <summary>
    /// Takes what is waiting and, while another writer has a group in the database, what arrives until that writer's
    /// transaction ends (at most <see cref="GatherAtMost"/>, or until the group is full). Without the wait, a writer that finds one
    /// submission under load writes it alone: a transaction, an event and a turn of each consumer for one outcome, while
    /// the calls that arrive a moment later wait for the next group anyway. With no other writer busy it writes at once.
    /// </summary>
    private async Task GatherAsync(List<PendingSubmission> group, int groupSize)
    {
        Task? deadline = null;
        while (true)
        {
            Take(group, groupSize);

            // Read the signal before the count: a writer finishing in between completes this very signal.
            var written = Volatile.Read(ref _groupWritten).Task;
            if (group.Count == groupSize || Volatile.Read(ref _writersBusy) == 0)
            {
                return;
            }

            deadline ??= Task.Delay(GatherAtMost);
            var more = _waiting.Reader.WaitToReadAsync().AsTask();
            if (await Task.WhenAny(more, written, deadline) != more || !await more)
            {
                Take(group, groupSize);
                return;
            }
        }
    }

    private void Take(List<PendingSubmission> group, int groupSize)
    {
        while (group.Count < groupSize && _waiting.Reader.TryRead(out var next))
        {
            group.Add(next);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Writes a group and answers each of its callers; never throws.</summary>
    private async Task WriteGroupAsync(List<PendingSubmission> group)
    {
        using var span = StartSpan(group);
        // This writer's turn, from taking the group to the end of its first transaction — the group's, or its only
        // submission's. Another writer gathers during the turn, not while a group that met a unique violation is
        // written again one by one.
        Interlocked.Increment(ref _writersBusy);
        var together = new List<PendingSubmission>(group.Count);
        var oneByOne = new List<PendingSubmission>();
        try
        {
            var outcomes = new HashSet<string>(StringComparer.Ordinal);
            var requests = new HashSet<(string, string)>();
            foreach (var submission in group)
            {
                var newOutcome = outcomes.Add(submission.Outcome.DuplicateKey);
                var newRequest = requests.Add((submission.InstitutionCode, submission.RequestId));
                (newOutcome && newRequest ? together : oneByOne).Add(submission);
            }

            if (together.Count == 1)
            {
                await AnswerAloneAsync(together[0]);
                together.Clear();
            }
            else
            {
                try
                {
                    await WriteTogetherAsync(together);
                    together.Clear();
                }
                catch (Exception e) when (e.IsUniqueViolation())
                {
                    // The bulk writes surface it as PostgreSQL's own exception; the transaction was rolled back whole.
                    LogGroupWrittenAgain(together.Count);
                }
                catch (Exception e)
                {
                    Fail(together, e);
                    together.Clear();
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _writersBusy);
            Interlocked.Exchange(ref _groupWritten, NewSignal()).TrySetResult();
        }

        foreach (var submission in together.Concat(oneByOne))
        {
            await AnswerAloneAsync(submission);
        }
    }

    /// <summary>
    /// The group's transaction as a span: the child of the first caller's span, linked to the others' (a span has one
    /// parent), so that a lone submission's trace runs on through this write, its outbox row and the relay to the
    /// consumers, and each caller of a group can find the write it joined. Null when nothing records it.
    /// </summary>
    private static Activity? StartSpan(List<PendingSubmission> group)
    {
        if (!RecognitionTelemetry.Source.HasListeners())
        {
            return null;
        }

        var links = group.Count == 1 ? null : group.Skip(1).Where(s => s.Caller != default).Select(s => new ActivityLink(s.Caller)).ToList();
        var span = RecognitionTelemetry.Source.StartActivity("write submissions", ActivityKind.Internal, group[0].Caller, links: links);
        span?.SetTag("creditbank.submissions", group.Count);
        return span;
    }

    private async Task AnswerAloneAsync(PendingSubmission submission)
    {
        try
        {
            submission.Answer.TrySetResult(await WriteAloneAsync(submission));
        }
        catch (Exception e)
        {
            submission.Answer.TrySetException(e);
        }
    }

    /// <summary>Writes a group in one transaction and answers each of its callers.</summary>
    private async Task WriteTogetherAsync(List<PendingSubmission> together)
    {
        await using var scope = scopes.CreateAsyncScope();
        var answers = await StoreAsync(scope.ServiceProvider.GetRequiredService<RecognitionDb>(),
            scope.ServiceProvider.GetRequiredService<OutcomeIntake>(), together);
        for (var i = 0; i < together.Count; i++)
        {
            Written(together[i], answers[i]);
            together[i].Answer.TrySetResult(answers[i]);
        }
    }

    /// <summary>One submission in its own transaction: what a lone call does, and what a group falls back to.</summary>
    private async Task<V1.SubmitOutcomeResponse> WriteAloneAsync(PendingSubmission submission)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecognitionDb>();
        var intake = scope.ServiceProvider.GetRequiredService<OutcomeIntake>();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var answer = (await StoreAsync(db, intake, [submission]))[0];
                Written(submission, answer);
                return answer;
            }
            catch (Exception e) when (e.IsUniqueViolation() && attempt == 0)
            {
                // The request_id was used before — a retry, answered as it was first answered (AIP-155), or a reuse,
                // refused — or the same outcome under another request_id raced in on another connection and won, and
                // the next attempt answers as a duplicate of what it stored. Looking the request_id up only here keeps
                // a round trip off every first submit; a retry pays for a refused insert instead.
                db.ChangeTracker.Clear();
                if (await FirstAnswerAsync(db, submission.InstitutionCode, submission.RequestId, submission.Fingerprint, CancellationToken.None) is { } first)
                {
                    return first;
                }
            }
        }
    }

    /// <summary>
    /// Submissions in one transaction, a group's or a lone one's: one lookup of the outcomes already held, the new
    /// outcomes, review tasks and idempotency records written in bulk (no change tracking), their events, one commit.
    /// A unique violation (a request_id used before, an outcome stored meanwhile) rolls it all back and is the caller's.
    /// </summary>
    private static async Task<V1.SubmitOutcomeResponse[]> StoreAsync(RecognitionDb db, OutcomeIntake intake, IReadOnlyList<PendingSubmission> submissions)
    {
        var keys = submissions.Select(s => s.Outcome.DuplicateKey).ToList();
        var held = await db.Outcomes.AsNoTracking().Where(o => keys.Contains(o.DuplicateKey)).ToDictionaryAsync(o => o.DuplicateKey, StringComparer.Ordinal);
        var answers = new V1.SubmitOutcomeResponse[submissions.Count];
        var records = new List<Submission>(submissions.Count);
        var decided = new List<(Outcome Outcome, RecognitionDecision Decision, DateTimeOffset At)>(submissions.Count);
        var fresh = new List<(Outcome Outcome, string Actor)>(submissions.Count);
        var evidence = new List<EvidenceFile>();
        for (var i = 0; i < submissions.Count; i++)
        {
            var submission = submissions[i];
            (answers[i], var record) = Stage(submission, held.GetValueOrDefault(submission.Outcome.DuplicateKey));
            records.Add(record);
            if (!answers[i].Duplicate)
            {
                decided.Add((submission.Outcome, submission.Decision, submission.Now));
                fresh.Add((submission.Outcome, submission.Actor));
                // A duplicate's files are not kept: the outcome held already has its own.
                evidence.AddRange(submission.Evidence);
            }
        }

        // Each table's rows in key order, so that two writers holding the same keys (a retry, a duplicate sent twice at
        // once) queue behind each other on the first of them instead of deadlocking.
        decided.Sort(static (a, b) => string.CompareOrdinal(a.Outcome.DuplicateKey, b.Outcome.DuplicateKey));
        records.Sort(static (a, b) =>
        {
            var institution = string.CompareOrdinal(a.InstitutionCode, b.InstitutionCode);
            return institution != 0 ? institution : string.CompareOrdinal(a.RequestId, b.RequestId);
        });
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        await intake.StoreAsync(decided, CancellationToken.None);
        await db.InsertAllAsync(records, CancellationToken.None);
        db.EvidenceFiles.AddRange(evidence);
        // One event per actor for the group's new outcomes, not one per outcome: a message, a relay row and a
        // consumer's transaction fewer for each outcome after the first. A call written alone is a group of one.
        // The recognised ones enter the outcome change feed in the same transaction.
        await intake.AnnounceDecisionsAsync(fresh, submissions.Max(s => s.Now), CancellationToken.None);

        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        return answers;
    }

    /// <summary>The submission's answer and its idempotency record: a new outcome, or the one already held.</summary>
    private static (V1.SubmitOutcomeResponse Answer, Submission Record) Stage(PendingSubmission submission, Outcome? held)
    {
        var answer = held is null ? Answer(submission.Outcome, duplicate: false) : Answer(held, duplicate: true);
        return (answer, new Submission
        {
            InstitutionCode = submission.InstitutionCode,
            RequestId = submission.RequestId,
            Fingerprint = submission.Fingerprint,
            OutcomeId = Guid.Parse(answer.OutcomeId),
            Response = answer.ToByteArray(),
            CreatedAt = submission.Now,
        });
    }

    /// <summary>
    /// The first answer given to (institution, request_id), or null when the request_id is new. A request_id used
    /// before for a different submission is refused (ALREADY_EXISTS).
    /// </summary>
    public static async Task<V1.SubmitOutcomeResponse?> FirstAnswerAsync(RecognitionDb db, string institutionCode, string requestId, byte[] fingerprint,
        CancellationToken ct)
    {
        if (requestId.Length is 0 or > 100 || institutionCode.Length is 0 or > 18)
        {
            return null;
        }

        var first = await db.Submissions.AsNoTracking()
            .FirstOrDefaultAsync(s => s.InstitutionCode == institutionCode && s.RequestId == requestId, ct);
        if (first is null)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(first.Fingerprint, fingerprint))
        {
            throw Problems.AlreadyExists("REQUEST_ID_REUSED",
                $"request_id '{requestId}' was already used by this institution for a different submission (outcome {first.OutcomeId}); " +
                "use a new request_id for a new outcome, or resend the original request unchanged to get its answer.");
        }

        return V1.SubmitOutcomeResponse.Parser.ParseFrom(first.Response);
    }

    private static V1.SubmitOutcomeResponse Answer(Outcome outcome, bool duplicate) => new()
    {
        OutcomeId = outcome.Id.ToString(),
        Status = (V1.OutcomeStatus)(int)outcome.Status,
        StatusReason = duplicate
            ? $"Already held (重复提交): this outcome was submitted before as {outcome.Id}. {outcome.StatusReason}"
            : outcome.StatusReason,
        StatusReasonCode = outcome.StatusReasonCode,
        Credits = (double)outcome.Credits,
        Duplicate = duplicate,
    };

    private void Written(PendingSubmission submission, V1.SubmitOutcomeResponse answer)
    {
        if (answer.Duplicate)
        {
            LogDuplicate(answer.OutcomeId, submission.InstitutionCode);
        }
        else
        {
            LogSubmitted(answer.OutcomeId, submission.InstitutionCode, submission.Outcome.Kind, submission.Outcome.Status);
        }
    }

    private static void Fail(List<PendingSubmission> submissions, Exception e)
    {
        foreach (var submission in submissions)
        {
            submission.Answer.TrySetException(e);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information,
        Message = "Outcome {OutcomeId} ({Kind}) submitted by {InstitutionCode}: {Status}")]
    private partial void LogSubmitted(string outcomeId, string institutionCode, OutcomeKind kind, OutcomeStatus status);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information,
        Message = "Outcome {OutcomeId} sent again by {InstitutionCode}: answered as a duplicate, nothing stored")]
    private partial void LogDuplicate(string outcomeId, string institutionCode);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Debug,
        Message = "A group of {Count} submissions met a unique violation (a retry, or an outcome stored meanwhile); each is written again on its own")]
    private partial void LogGroupWrittenAgain(int count);
}
