using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using Microsoft.AspNetCore.Authorization;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Validation;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Grpc;

/// <summary>creditbank.recognition.v1.ReviewService: a workstation's reviewers list, claim and decide outcomes (人工审核).</summary>
[Authorize(Policy = Scopes.OutcomesReview)]
internal sealed partial class ReviewGrpcService(RecognitionDb db, OutcomeIntake intake, TimeProvider time, ILogger<ReviewGrpcService> logger)
    : V1.ReviewService.ReviewServiceBase
{
    public override async Task<V1.ListReviewTasksResponse> ListReviewTasks(V1.ListReviewTasksRequest request, ServerCallContext context)
    {
        var (workstation, reviewer) = Who(context, request.WorkstationCode, new FieldViolations(), "The review queue cannot be listed");
        var size = PageToken.Size(request.PageSize);
        var scope = $"reviews:{workstation}:{request.UnclaimedOnly}";
        var after = PageToken.Decode(request.PageToken, scope);
        var ct = context.CancellationToken;
        var query = db.ReviewTasks.AsNoTracking().Where(t => t.WorkstationCode == workstation && t.DecidedAt == null && t.Sequence > after);
        if (request.UnclaimedOnly)
        {
            query = query.Where(t => t.ClaimedBy == null || t.ClaimedBy == reviewer);
        }

        var tasks = await query.OrderBy(t => t.Sequence).Take(size + 1).ToListAsync(ct);
        var page = tasks.Take(size).ToList();
        var ids = page.Select(t => t.OutcomeId).ToList();
        var outcomes = await db.Outcomes.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        return new V1.ListReviewTasksResponse
        {
            Tasks = { page.Select(t => ToContract(t, outcomes[t.OutcomeId])) },
            NextPageToken = tasks.Count > size ? PageToken.Encode(scope, page[^1].Sequence) : string.Empty,
        };
    }

    public override async Task<V1.ClaimReviewTaskResponse> ClaimReviewTask(V1.ClaimReviewTaskRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var id = ReviewValidation.OutcomeId(request.OutcomeId, violations);
        var (workstation, reviewer) = Who(context, request.WorkstationCode, violations, "The task cannot be claimed");
        var ct = context.CancellationToken;
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
        return new V1.ClaimReviewTaskResponse { Task = ToContract(task, outcome) };
    }

    public override async Task<V1.RecogniseOutcomeResponse> RecogniseOutcome(V1.RecogniseOutcomeRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var recognition = ReviewValidation.Recognise(request, intake.Catalogue, violations);
        var (id, unit) = (recognition.OutcomeId, recognition.Unit);
        var (workstation, reviewer) = Who(context, request.WorkstationCode, violations, "The outcome cannot be recognised");
        var ct = context.CancellationToken;
        var (task, outcome) = await FindForDecisionAsync(workstation, reviewer, id, "RECOGNISED", ct);
        if (task is null)
        {
            return new V1.RecogniseOutcomeResponse { Outcome = OutcomeMapping.ToContract(outcome) };
        }

        if (unit!.Kind != outcome.Kind)
        {
            throw Problems.InvalidArgument("UNIT_KIND_MISMATCH", $"Unit {unit.Code} is for another kind of outcome.",
                [new() { Field = "unit_code", Reason = "UNIT_KIND_MISMATCH", Description = $"Choose a unit for {OutcomeMapping.KindName(outcome.Kind)} outcomes." }]);
        }

        var now = time.GetUtcNow();
        var comment = recognition.Comment;
        var decision = new RecognitionDecision(OutcomeStatus.Recognised, "REVIEWER_RECOGNISED",
            $"Recognised by a reviewer (人工认定) as {unit.Code} {unit.Name}" + (comment.Length > 0 ? $": {comment}" : "."),
            recognition.Credits, unit);
        outcome.Apply(decision, now, reviewer);
        task.Decide("RECOGNISED", decision.ReasonCode, comment, reviewer, now);
        intake.EnqueueDecision(outcome, reviewer, now);
        await SaveDecisionAsync(id, ct);
        LogDecided(id, reviewer, "RECOGNISED");
        return new V1.RecogniseOutcomeResponse { Outcome = OutcomeMapping.ToContract(outcome) };
    }

    public override async Task<V1.RejectOutcomeResponse> RejectOutcome(V1.RejectOutcomeRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var rejection = ReviewValidation.Reject(request, violations);
        var id = rejection.OutcomeId;
        var (workstation, reviewer) = Who(context, request.WorkstationCode, violations, "The outcome cannot be rejected");
        var ct = context.CancellationToken;
        var (task, outcome) = await FindForDecisionAsync(workstation, reviewer, id, "REJECTED", ct);
        if (task is null)
        {
            return new V1.RejectOutcomeResponse { Outcome = OutcomeMapping.ToContract(outcome) };
        }

        var now = time.GetUtcNow();
        var reasonCode = ReasonCode(rejection.Reason);
        var comment = rejection.Comment;
        outcome.Apply(new RecognitionDecision(OutcomeStatus.Rejected, reasonCode, $"Not recognised (不予认定) by a reviewer: {comment}", 0m), now, reviewer);
        task.Decide("REJECTED", reasonCode, comment, reviewer, now);
        intake.EnqueueDecision(outcome, reviewer, now);
        await SaveDecisionAsync(id, ct);
        LogDecided(id, reviewer, reasonCode);
        return new V1.RejectOutcomeResponse { Outcome = OutcomeMapping.ToContract(outcome) };
    }

    /// <summary>
    /// The workstation whose queue is worked and the reviewer working it, from the token: a reviewer works only their own
    /// workstation's queue (the path's <c>workstation_code</c> must be it); an administrator may work any.
    /// </summary>
    private (string Workstation, string Reviewer) Who(ServerCallContext context, string workstationCode, FieldViolations violations, string subject)
    {
        var caller = Caller.From(context);
        var workstation = ReviewValidation.Workstation(workstationCode, violations);
        if (caller.Is(Roles.Reviewer))
        {
            if (workstation.Length > 0 && workstation != caller.Workstation)
            {
                throw Problems.PermissionDenied("NOT_YOUR_WORKSTATION",
                    $"You review for workstation {caller.Workstation ?? "(none)"}; a reviewer works only their own workstation's queue (工作站).");
            }

            workstation = caller.Workstation ?? string.Empty;
        }
        else if (!caller.Is(Roles.Admin))
        {
            throw Problems.PermissionDenied("REVIEWERS_ONLY", "Only a workstation's reviewers (审核员) and the bank's administrators review outcomes.");
        }

        violations.ThrowIfAny(subject);
        if (intake.Catalogue.Workstations.All(w => w.Code != workstation))
        {
            throw Problems.NotFound("WORKSTATION_NOT_FOUND", $"No workstation (工作站) '{SubmitOutcomeValidation.Shorten(workstation)}' exists.");
        }

        return (workstation, caller.Actor);
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

    private async Task SaveDecisionAsync(Guid id, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Problems.FailedPrecondition("CONCURRENT_DECISION", $"Outcome {id} changed (e.g. it was revoked) while it was being decided; look at it again.");
        }
    }

    private static string ReasonCode(V1.RejectionReason reason) => reason switch
    {
        V1.RejectionReason.InsufficientEvidence => "INSUFFICIENT_EVIDENCE",
        V1.RejectionReason.NotVerifiable => "NOT_VERIFIABLE",
        V1.RejectionReason.NoMatchingStandard => "NO_MATCHING_STANDARD",
        V1.RejectionReason.OutOfScope => "OUT_OF_SCOPE",
        _ => "OTHER",
    };

    private static V1.ReviewTask ToContract(ReviewTask task, Outcome outcome) => new()
    {
        Outcome = OutcomeMapping.ToContract(outcome),
        QueuedReasonCode = task.QueuedReasonCode,
        QueuedAt = Timestamp.FromDateTimeOffset(task.QueuedAt),
        ClaimedBy = task.ClaimedBy ?? string.Empty,
        ClaimedAt = task.ClaimedAt is { } claimed ? Timestamp.FromDateTimeOffset(claimed) : null,
        SuggestedUnitCodes = { task.SuggestedUnitCode is { } unit ? [unit] : Array.Empty<string>() },
        SuggestedCredits = (double)task.SuggestedCredits,
    };

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Review task for outcome {OutcomeId} claimed by {Reviewer}")]
    private partial void LogClaimed(Guid outcomeId, string reviewer);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Outcome {OutcomeId} decided by {Reviewer}: {Decision}")]
    private partial void LogDecided(Guid outcomeId, string reviewer, string decision);
}
