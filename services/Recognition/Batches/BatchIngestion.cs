using CreditBank.Contracts.Learning;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using CreditBank.Persistence;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Grpc;
using CreditBank.Recognition.Submissions;
using CreditBank.Recognition.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Batches;

/// <summary>
/// Takes a batch's lines as they arrive (from the gRPC stream or an uploaded file) and stores them in chunks: per chunk
/// one duplicate lookup, one transaction with the outcomes, review tasks, line results (in bulk, without change tracking),
/// progress and its events.
/// </summary>
internal sealed partial class BatchIngestion(RecognitionDb db, OutcomeIntake intake, TimeProvider time, IOptions<RecognitionOptions> options,
    ILogger<BatchIngestion> logger)
{
    public const int MaxProblemsInAnswer = 1000;

    private readonly List<(long Number, V1.BatchLine Line, IReadOnlyList<V1.LineViolation> Problems)> _pending = [];
    private readonly List<V1.BatchLineResult> _problems = [];
    private readonly HashSet<string> _dryRunKeys = [];
    private Batch _batch = null!;
    private Institution _institution = null!;
    private string _actor = string.Empty;
    private bool _dryRun;
    private bool _alreadyComplete;
    private long _previous;
    private bool _truncated;

    /// <summary>Opens the batch named by (institution, request_id), or resumes it. The caller submits only as itself.</summary>
    public async Task StartAsync(V1.BatchHeader? header, Caller caller, CancellationToken ct)
    {
        if (header is not null && header.InstitutionCode.Trim() is { Length: > 0 } code && code != caller.InstitutionCode)
        {
            throw Problems.PermissionDenied("NOT_YOUR_INSTITUTION",
                $"This client submits as institution {caller.InstitutionCode ?? "(none)"}: an institution submits batches only under its own code.");
        }

        _actor = caller.Actor;
        var violations = new FieldViolations();
        var checkedHeader = BatchValidation.Check(header, intake.Catalogue, violations);
        violations.ThrowIfAny("The batch was not accepted");
        _institution = checkedHeader!.Institution;
        _dryRun = checkedHeader.DryRun;
        var requestId = checkedHeader.RequestId;
        var now = time.GetUtcNow();
        if (_dryRun)
        {
            _batch = new Batch { Id = Guid.Empty, InstitutionCode = _institution.Code, RequestId = requestId, CreatedAt = now, TotalLines = checkedHeader.TotalLines };
            return;
        }

        var existing = await db.Batches.AsNoTracking().FirstOrDefaultAsync(b => b.InstitutionCode == _institution.Code && b.RequestId == requestId, ct);
        if (existing is null)
        {
            _batch = new Batch { Id = Guid.CreateVersion7(now), InstitutionCode = _institution.Code, RequestId = requestId, CreatedAt = now, TotalLines = checkedHeader.TotalLines };
            db.Batches.Add(_batch);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                // Another stream opened the same batch a moment ago: resume that one.
                db.ChangeTracker.Clear();
                _batch = await db.Batches.AsNoTracking().FirstAsync(b => b.InstitutionCode == _institution.Code && b.RequestId == requestId, ct);
            }

            db.ChangeTracker.Clear();
        }
        else
        {
            _batch = existing;
            if (checkedHeader.TotalLines > 0 && existing.State != BatchState.Completed)
            {
                _batch.TotalLines = checkedHeader.TotalLines;
            }
        }

        _alreadyComplete = _batch.State == BatchState.Completed;
        LogStarted(_batch.Id, _institution.Code, _batch.LastLine);
    }

    /// <summary>Takes one line; stores a chunk once enough have arrived. Lines a resumed batch already holds are skipped.</summary>
    public async Task AddAsync(V1.BatchLine line, IReadOnlyList<V1.LineViolation>? readProblems, CancellationToken ct)
    {
        var number = line.LineNumber == 0 ? _previous + 1 : line.LineNumber;
        if (number <= _previous)
        {
            throw Problems.InvalidArgument("LINE_NUMBER_OUT_OF_ORDER", $"Line numbers must increase; line {number} came after line {_previous}.",
                [new() { Field = "line.line_number", Reason = "LINE_NUMBER_OUT_OF_ORDER", Description = "Number lines 1, 2, 3 … in order, or leave line_number 0." }]);
        }

        BatchValidation.CheckLineNumber(number);
        _previous = number;
        if (_alreadyComplete || number <= _batch.LastLine)
        {
            return;
        }

        _pending.Add((number, line, readProblems ?? []));
        if (_pending.Count >= options.Value.BatchChunkSize)
        {
            await FlushAsync(ct);
        }
    }

    /// <summary>Stores what is left and marks the batch complete.</summary>
    public async Task<V1.UploadBatchResponse> CompleteAsync(CancellationToken ct)
    {
        if (!_alreadyComplete)
        {
            await FlushAsync(ct);
            _batch.State = BatchState.Completed;
            _batch.CompletedAt = time.GetUtcNow();
            if (_batch.TotalLines == 0)
            {
                _batch.TotalLines = _batch.LinesDone;
            }

            if (!_dryRun)
            {
                db.Batches.Update(_batch);
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }

            LogCompleted(_batch.Id, _batch.LinesDone, _batch.Accepted, _batch.Duplicates, _batch.Invalid);
        }

        return new V1.UploadBatchResponse { Batch = BatchMapping.ToContract(_batch, _dryRun), Problems = { _problems }, ProblemsTruncated = _truncated };
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var today = BeijingTime.Today(now);
        var catalogue = intake.Catalogue;
        var actor = _actor;
        var lines = new List<(long Number, Outcome? Outcome, RecognitionDecision? Decision, IReadOnlyList<V1.LineViolation> Violations)>(_pending.Count);
        foreach (var (number, line, readProblems) in _pending)
        {
            if (readProblems.Count > 0)
            {
                lines.Add((number, null, null, readProblems));
                continue;
            }

            var violations = new FieldViolations();
            var parsed = SubmitOutcomeValidation.ParseOutcome(BatchMapping.ToSubmission(line), catalogue, today, violations);
            if (parsed is null)
            {
                lines.Add((number, null, null, violations.All.Select(v => new V1.LineViolation { Field = v.Field, Reason = v.Reason, Description = v.Description }).ToList()));
                continue;
            }

            var outcome = intake.Prepare(parsed, _institution, now, actor, _dryRun ? null : _batch.Id, out var decision);
            lines.Add((number, outcome, decision, []));
        }

        for (var attempt = 0; ; attempt++)
        {
            var keys = lines.Where(l => l.Outcome is not null).Select(l => l.Outcome!.DuplicateKey).Distinct().ToList();
            // One query per chunk for every duplicate check.
            var held = await db.Outcomes.AsNoTracking().Where(o => keys.Contains(o.DuplicateKey))
                .Select(o => new { o.DuplicateKey, o.Id, o.Status, o.Credits })
                .ToDictionaryAsync(o => o.DuplicateKey, o => (o.Id, o.Status, o.Credits), ct);
            var counted = CloneCounts(_batch);
            var accepted = new List<(Outcome, RecognitionDecision)>();
            var results = new List<BatchLineRecord>(lines.Count);
            foreach (var (number, outcome, decision, violations) in lines)
            {
                BatchLineRecord result;
                if (outcome is null)
                {
                    result = new BatchLineRecord { BatchId = _batch.Id, LineNumber = number, Result = LineResult.Invalid, Violations = BatchMapping.Pack(violations) };
                }
                else if (held.TryGetValue(outcome.DuplicateKey, out var first) || (_dryRun && !_dryRunKeys.Add(outcome.DuplicateKey)))
                {
                    result = new BatchLineRecord
                    {
                        BatchId = _batch.Id, LineNumber = number, Result = LineResult.Duplicate,
                        OutcomeId = first.Id == Guid.Empty ? null : first.Id, OutcomeStatus = first.Id == Guid.Empty ? null : first.Status,
                        Credits = first.Credits,
                    };
                }
                else
                {
                    held[outcome.DuplicateKey] = (_dryRun ? Guid.Empty : outcome.Id, outcome.Status, outcome.Credits);
                    result = new BatchLineRecord
                    {
                        BatchId = _batch.Id, LineNumber = number, Result = LineResult.Accepted,
                        OutcomeId = _dryRun ? null : outcome.Id, OutcomeStatus = outcome.Status, Credits = outcome.Credits,
                    };
                    if (!_dryRun)
                    {
                        accepted.Add((outcome, decision!));
                    }
                }

                counted.Count(result);
                results.Add(result);
            }

            if (_dryRun)
            {
                Apply(counted);
                Collect(results);
                break;
            }

            var original = _batch.LastLine;
            try
            {
                await StoreAsync(counted, accepted, results, actor, now, ct);
                Collect(results);
                break;
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                throw Problems.FailedPrecondition("BATCH_BUSY",
                    $"Batch {_batch.Id} is being resumed by another upload at the same time; wait for it (GetBatch) and resume afterwards.");
            }
            catch (Exception e) when (e.IsUniqueViolation() && attempt == 0)
            {
                // Another submission stored one of these outcomes between the lookup and the commit: look again.
                db.ChangeTracker.Clear();
                _batch.LastLine = original;
                RestoreCounts(counted);
            }
        }

        _pending.Clear();
    }

    /// <summary>
    /// One chunk, one transaction. The batch's progress is written first: its concurrency check (and row lock) stops a
    /// second stream resuming the same batch before either writes a line. Then the outcomes, review tasks and line
    /// results in bulk, and the chunk's events through the outbox.
    /// </summary>
    private async Task StoreAsync(Batch counted, IReadOnlyList<(Outcome, RecognitionDecision)> accepted, IReadOnlyCollection<BatchLineRecord> results,
        string actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Batches.Attach(_batch);
        Apply(counted);
        await db.SaveChangesAsync(ct);
        await intake.AddChunkAsync(_batch.Id, accepted, actor, now, ct);
        await db.InsertAllAsync(results, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }

    private Batch CloneCounts(Batch b) => new()
    {
        InstitutionCode = b.InstitutionCode, RequestId = b.RequestId, LinesDone = b.LinesDone, LastLine = b.LastLine, Accepted = b.Accepted,
        Duplicates = b.Duplicates, Invalid = b.Invalid, Recognised = b.Recognised, PendingReview = b.PendingReview, Rejected = b.Rejected,
    };

    private Batch? _before;

    private void Apply(Batch counted)
    {
        _before = CloneCounts(_batch);
        (_batch.LinesDone, _batch.LastLine, _batch.Accepted, _batch.Duplicates, _batch.Invalid, _batch.Recognised, _batch.PendingReview, _batch.Rejected) =
            (counted.LinesDone, counted.LastLine, counted.Accepted, counted.Duplicates, counted.Invalid, counted.Recognised, counted.PendingReview, counted.Rejected);
    }

    private void RestoreCounts(Batch _)
    {
        if (_before is { } b)
        {
            (_batch.LinesDone, _batch.LastLine, _batch.Accepted, _batch.Duplicates, _batch.Invalid, _batch.Recognised, _batch.PendingReview, _batch.Rejected) =
                (b.LinesDone, b.LastLine, b.Accepted, b.Duplicates, b.Invalid, b.Recognised, b.PendingReview, b.Rejected);
        }
    }

    private void Collect(List<BatchLineRecord> results)
    {
        foreach (var result in results.Where(r => r.Result != LineResult.Accepted))
        {
            if (_problems.Count >= MaxProblemsInAnswer)
            {
                _truncated = true;
                return;
            }

            _problems.Add(BatchMapping.ToContract(result));
        }
    }

    [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Batch {BatchId} of {InstitutionCode} receiving (resuming after line {LastLine})")]
    private partial void LogStarted(Guid batchId, string institutionCode, long lastLine);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Information,
        Message = "Batch {BatchId} complete: {Lines} lines, {Accepted} accepted, {Duplicates} duplicates, {Invalid} invalid")]
    private partial void LogCompleted(Guid batchId, long lines, long accepted, long duplicates, long invalid);
}
