using CreditBank.Grpc;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Submissions;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Recognition.Reviews;

/// <summary>
/// A workstation's review desk (人工审核): its queue, a reviewer claiming a task, and the reviewer's decision written with
/// the outcome's event. Who may work which workstation is the caller's concern; the desk keeps one reviewer per task
/// and one decision per outcome.
/// </summary>
internal sealed partial class ReviewDesk(RecognitionDb db, OutcomeIntake intake, TimeProvider time, ILogger<ReviewDesk> logger)
{
    /// <summary>The workstation's tasks per status: open unclaimed, open claimed, and decided by decision.</summary>
    public async Task<Dictionary<string, long>> CountsAsync(string workstation, CancellationToken ct) =>
        await db.ReviewTasks.AsNoTracking().Where(t => t.WorkstationCode == workstation)
            .GroupBy(t => t.Decision ?? (t.ClaimedBy == null ? "UNCLAIMED" : "CLAIMED"))
            .Select(g => new { Status = g.Key, Count = g.LongCount() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, ct);

    /// <summary>
    /// A page of the decided tasks, newest decision first: those decided at or before <paramref name="until"/> (all when
    /// null) after skipping <paramref name="served"/>, optionally one decider's and within a time range; with their outcomes.
    /// </summary>
    public async Task<List<(ReviewTask Task, Outcome Outcome)>> DecidedTasksAsync(string workstation, string? decidedBy, DateTimeOffset? from,
        DateTimeOffset? before, DateTimeOffset? until, int served, int take, CancellationToken ct)
    {
        var query = db.ReviewTasks.AsNoTracking().Where(t => t.WorkstationCode == workstation && t.DecidedAt != null);
        if (decidedBy is not null)
        {
            query = query.Where(t => t.DecidedBy == decidedBy);
        }

        if (from is { } f)
        {
            query = query.Where(t => t.DecidedAt >= f);
        }

        if (before is { } b)
        {
            query = query.Where(t => t.DecidedAt < b);
        }

        if (until is { } u)
        {
            query = query.Where(t => t.DecidedAt <= u);
        }

        var tasks = await query.OrderByDescending(t => t.DecidedAt).ThenBy(t => t.Sequence).Skip(served).Take(take).ToListAsync(ct);
        var ids = tasks.Select(t => t.OutcomeId).ToList();
        var outcomes = await db.Outcomes.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        return tasks.Select(t => (t, outcomes[t.OutcomeId])).ToList();
    }

    /// <summary>A page of the open tasks after <paramref name="after"/>, with their outcomes.</summary>
    public async Task<(IReadOnlyList<(ReviewTask Task, Outcome Outcome)> Page, bool More)> OpenTasksAsync(string workstation, string reviewer,
        bool unclaimedOnly, long after, int size, CancellationToken ct)
    {
        var query = db.ReviewTasks.AsNoTracking().Where(t => t.WorkstationCode == workstation && t.DecidedAt == null && t.Sequence > after);
        if (unclaimedOnly)
        {
            query = query.Where(t => t.ClaimedBy == null || t.ClaimedBy == reviewer);
        }

        var tasks = await query.OrderBy(t => t.Sequence).Take(size + 1).ToListAsync(ct);
        var page = tasks.Take(size).ToList();
        var ids = page.Select(t => t.OutcomeId).ToList();
        var outcomes = await db.Outcomes.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        return (page.Select(t => (t, outcomes[t.OutcomeId])).ToList(), tasks.Count > size);
    }

    public async Task<(ReviewTask Task, Outcome Outcome)> ClaimAsync(string workstation, string reviewer, Guid id, CancellationToken ct)
    {
        var (task, outcome) = await FindAsync(workstation, id, ct);
        if (task.IsOpen && task.ClaimedBy is null)
        {
            var now = time.GetUtcNow();
            // Two reviewers pressing "claim" together: the database lets exactly one of them have it.
            await db.ReviewTasks.Where(t => t.Sequence == task.Sequence && t.ClaimedBy == null)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.ClaimedBy, reviewer).SetProperty(t => t.ClaimedAt, now), ct);
            (task, outcome) = await FindAsync(workstation, id, ct);
        }

        if (!task.IsOpen)
        {
            throw Problems.FailedPrecondition("OUTCOME_ALREADY_DECIDED", $"Outcome {id} was already decided by {task.DecidedBy}.");
        }

        if (task.ClaimedBy != reviewer)
        {
            throw Problems.FailedPrecondition("CLAIMED_BY_ANOTHER", $"Outcome {id} is being reviewed by {task.ClaimedBy}.");
        }

        LogClaimed(id, reviewer);
        return (task, outcome);
    }

    /// <summary>Recognises the outcome as <paramref name="unit"/>; a repeat of this reviewer's own decision answers as it did.</summary>
    public async Task<Outcome> RecogniseAsync(string workstation, string reviewer, Guid id, AccreditationUnit unit, decimal credits, string comment,
        CancellationToken ct)
    {
        var (task, outcome) = await FindForDecisionAsync(workstation, reviewer, id, "RECOGNISED", ct);
        if (task is null)
        {
            return outcome;
        }

        if (unit.Kind != outcome.Kind)
        {
            throw Problems.InvalidArgument("UNIT_KIND_MISMATCH", $"Unit {unit.Code} is for another kind of outcome.",
                [new() { Field = "unit_code", Reason = "UNIT_KIND_MISMATCH", Description = $"Choose a unit for {Contracts.Learning.OutcomeKinds.Name(outcome.Kind)} outcomes." }]);
        }

        var decision = new RecognitionDecision(OutcomeStatus.Recognised, "REVIEWER_RECOGNISED",
            $"Recognised by a reviewer (人工认定) as {unit.Code} {unit.Name}" + (comment.Length > 0 ? $": {comment}" : "."),
            credits, unit);
        await DecideAsync(task, outcome, decision, "RECOGNISED", comment, reviewer, ct);
        return outcome;
    }

    /// <summary>Rejects the outcome (不予认定); a repeat of this reviewer's own decision answers as it did.</summary>
    public async Task<Outcome> RejectAsync(string workstation, string reviewer, Guid id, string reasonCode, string comment, CancellationToken ct)
    {
        var (task, outcome) = await FindForDecisionAsync(workstation, reviewer, id, "REJECTED", ct);
        if (task is not null)
        {
            var decision = new RecognitionDecision(OutcomeStatus.Rejected, reasonCode, $"Not recognised (不予认定) by a reviewer: {comment}", 0m);
            await DecideAsync(task, outcome, decision, "REJECTED", comment, reviewer, ct);
        }

        return outcome;
    }

    private async Task DecideAsync(ReviewTask task, Outcome outcome, RecognitionDecision decision, string verdict, string comment, string reviewer,
        CancellationToken ct)
    {
        var now = time.GetUtcNow();
        outcome.Apply(decision, now, reviewer);
        task.Decide(verdict, decision.ReasonCode, comment, reviewer, now);
        intake.EnqueueDecision(outcome, reviewer, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Problems.FailedPrecondition("CONCURRENT_DECISION", $"Outcome {outcome.Id} changed (e.g. it was revoked) while it was being decided; look at it again.");
        }

        LogDecided(outcome.Id, reviewer, verdict == "RECOGNISED" ? verdict : decision.ReasonCode);
    }

    private async Task<(ReviewTask Task, Outcome Outcome)> FindAsync(string workstation, Guid id, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var task = await db.ReviewTasks.FirstOrDefaultAsync(t => t.OutcomeId == id && t.WorkstationCode == workstation, ct);
        var outcome = task is null ? null : await db.Outcomes.FirstOrDefaultAsync(o => o.Id == id, ct);
        // Another workstation's task looks like no task at all.
        return task is null || outcome is null
            ? throw Problems.NotFound("REVIEW_TASK_NOT_FOUND", $"Workstation {workstation} has no review task for outcome {id}.")
            : (task, outcome);
    }

    /// <summary>The open task this reviewer holds; null (with the outcome) when this very decision was already made by them.</summary>
    private async Task<(ReviewTask? Task, Outcome Outcome)> FindForDecisionAsync(string workstation, string reviewer, Guid id, string decision, CancellationToken ct)
    {
        var (task, outcome) = await FindAsync(workstation, id, ct);
        if (!task.IsOpen)
        {
            return task.Decision == decision && task.DecidedBy == reviewer
                ? (null, outcome)
                : throw Problems.FailedPrecondition("OUTCOME_ALREADY_DECIDED", $"Outcome {id} was already decided ({task.Decision}) by {task.DecidedBy}.");
        }

        if (task.ClaimedBy != reviewer)
        {
            throw Problems.FailedPrecondition(task.ClaimedBy is null ? "REVIEW_TASK_NOT_CLAIMED" : "CLAIMED_BY_ANOTHER",
                task.ClaimedBy is null ? $"Claim outcome {id} before deciding it." : $"Outcome {id} is being reviewed by {task.ClaimedBy}.");
        }

        return (task, outcome);
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Review task for outcome {OutcomeId} claimed by {Reviewer}")]
    private partial void LogClaimed(Guid outcomeId, string reviewer);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Outcome {OutcomeId} decided by {Reviewer}: {Decision}")]
    private partial void LogDecided(Guid outcomeId, string reviewer, string decision);
}
