using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Reviews;
using CreditBank.Recognition.Validation;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Grpc;

/// <summary>creditbank.recognition.v1.ReviewService: a workstation's reviewers list, claim and decide outcomes (人工审核).</summary>
[Authorize(Policy = Scopes.OutcomesReview)]
internal sealed class ReviewGrpcService(ReviewDesk desk, CatalogueStore catalogue, RecognitionDb db)
    : V1.ReviewService.ReviewServiceBase
{
    public override async Task<V1.ListReviewTasksResponse> ListReviewTasks(V1.ListReviewTasksRequest request, ServerCallContext context)
    {
        var (workstation, reviewer) = Who(context, request.WorkstationCode, new FieldViolations(), "The review queue cannot be listed");
        var size = PageToken.Size(request.PageSize);
        var scope = $"reviews:{workstation}:{request.UnclaimedOnly}";
        var after = PageToken.Decode(request.PageToken, scope);
        var (page, more) = await desk.OpenTasksAsync(workstation, reviewer, request.UnclaimedOnly, after, size, context.CancellationToken);
        var counts = await desk.CountsAsync(workstation, context.CancellationToken);
        var evidence = await RecognitionGrpcService.EvidenceOfAsync(db, page.Select(p => p.Outcome.Id).ToList(), context.CancellationToken);
        return new V1.ListReviewTasksResponse
        {
            Tasks = { page.Select(p => WithEvidence(ToContract(p.Task, p.Outcome), evidence)) },
            NextPageToken = more ? PageToken.Encode(scope, page[^1].Task.Sequence) : string.Empty,
            Counts = new V1.ReviewQueueCounts
            {
                Unclaimed = counts.GetValueOrDefault("UNCLAIMED"),
                Claimed = counts.GetValueOrDefault("CLAIMED"),
                Recognised = counts.GetValueOrDefault("RECOGNISED"),
                Rejected = counts.GetValueOrDefault("REJECTED"),
                Withdrawn = counts.GetValueOrDefault("WITHDRAWN"),
            },
        };
    }

    public override async Task<V1.ListDecidedReviewTasksResponse> ListDecidedReviewTasks(V1.ListDecidedReviewTasksRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var decidedBy = request.DecidedBy.Length > 0 ? violations.Text("decided_by", request.DecidedBy, 120, "The decider (reviewer:<subject>)") : null;
        DateTimeOffset? from = request.DecidedFrom?.ToDateTimeOffset();
        DateTimeOffset? before = request.DecidedBefore?.ToDateTimeOffset();
        if (from is not null && before is not null && before <= from)
        {
            violations.Add("decided_before", "decided_before must be later than decided_from.", "INVALID_DATE_RANGE");
        }

        var (workstation, _) = Who(context, request.WorkstationCode, violations, "The decided tasks cannot be listed");
        var size = PageToken.Size(request.PageSize);
        var filters = $"{workstation}|{decidedBy}|{from?.UtcTicks}|{before?.UtcTicks}";
        var scope = "decided:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(filters)))[..16];
        var (until, served) = NewestFirst.Start(request.PageToken, scope);
        var page = await desk.DecidedTasksAsync(workstation, decidedBy, from, before, until, served, size + 1, context.CancellationToken);
        var evidence = await RecognitionGrpcService.EvidenceOfAsync(db, page.Take(size).Select(p => p.Outcome.Id).ToList(), context.CancellationToken);
        return new V1.ListDecidedReviewTasksResponse
        {
            Tasks =
            {
                page.Take(size).Select(p => new V1.DecidedReviewTask
                {
                    Outcome = WithEvidence(OutcomeMapping.ToContract(p.Outcome), evidence),
                    Decision = p.Task.Decision ?? string.Empty,
                    DecisionReasonCode = p.Task.DecisionReasonCode ?? string.Empty,
                    Comment = p.Task.Comment ?? string.Empty,
                    DecidedBy = p.Task.DecidedBy ?? string.Empty,
                    DecidedAt = Timestamp.FromDateTimeOffset(p.Task.DecidedAt!.Value),
                    QueuedAt = Timestamp.FromDateTimeOffset(p.Task.QueuedAt),
                }),
            },
            NextPageToken = NewestFirst.Next(page, size, p => p.Task.DecidedAt!.Value, scope, until, served),
        };
    }

    public override async Task<V1.ClaimReviewTaskResponse> ClaimReviewTask(V1.ClaimReviewTaskRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var id = ReviewValidation.OutcomeId(request.OutcomeId, violations);
        var (workstation, reviewer) = Who(context, request.WorkstationCode, violations, "The task cannot be claimed");
        var (task, outcome) = await desk.ClaimAsync(workstation, reviewer, id, context.CancellationToken);
        var evidence = await RecognitionGrpcService.EvidenceOfAsync(db, [outcome.Id], context.CancellationToken);
        return new V1.ClaimReviewTaskResponse { Task = WithEvidence(ToContract(task, outcome), evidence) };
    }

    public override async Task<V1.RecogniseOutcomeResponse> RecogniseOutcome(V1.RecogniseOutcomeRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var recognition = ReviewValidation.Recognise(request, catalogue.Current, violations);
        var (workstation, reviewer) = Who(context, request.WorkstationCode, violations, "The outcome cannot be recognised");
        var outcome = await desk.RecogniseAsync(workstation, reviewer, recognition.OutcomeId, recognition.Unit!, recognition.Credits, recognition.Comment,
            context.CancellationToken);
        var evidence = await RecognitionGrpcService.EvidenceOfAsync(db, [outcome.Id], context.CancellationToken);
        return new V1.RecogniseOutcomeResponse { Outcome = WithEvidence(OutcomeMapping.ToContract(outcome), evidence) };
    }

    public override async Task<V1.RejectOutcomeResponse> RejectOutcome(V1.RejectOutcomeRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var rejection = ReviewValidation.Reject(request, violations);
        var (workstation, reviewer) = Who(context, request.WorkstationCode, violations, "The outcome cannot be rejected");
        var outcome = await desk.RejectAsync(workstation, reviewer, rejection.OutcomeId, ReasonCode(rejection.Reason), rejection.Comment,
            context.CancellationToken);
        var evidence = await RecognitionGrpcService.EvidenceOfAsync(db, [outcome.Id], context.CancellationToken);
        return new V1.RejectOutcomeResponse { Outcome = WithEvidence(OutcomeMapping.ToContract(outcome), evidence) };
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
            // Their login's workstation, and those an administrator assigned them to (WorkstationService).
            var assigned = catalogue.Current.Workstations.Where(w => w.ReviewerSubjects.Contains(caller.Subject)).Select(w => w.Code);
            var theirs = (caller.Workstation is { } own ? assigned.Prepend(own) : assigned).ToList();
            if (workstation.Length > 0 && !theirs.Contains(workstation))
            {
                throw Problems.PermissionDenied("NOT_YOUR_WORKSTATION",
                    $"You review for workstation {(theirs.Count > 0 ? string.Join(", ", theirs) : "(none)")}; a reviewer works only their own workstations' queues (工作站).");
            }

            workstation = workstation.Length > 0 ? workstation : theirs.FirstOrDefault() ?? string.Empty;
        }
        else if (!caller.Is(Roles.Admin))
        {
            throw Problems.PermissionDenied("REVIEWERS_ONLY", "Only a workstation's reviewers (审核员) and the bank's administrators review outcomes.");
        }

        violations.ThrowIfAny(subject);
        if (catalogue.Current.Workstations.All(w => w.Code != workstation))
        {
            throw Problems.NotFound("WORKSTATION_NOT_FOUND", $"No workstation (工作站) '{SubmitOutcomeValidation.Shorten(workstation)}' exists.");
        }

        return (workstation, caller.Actor);
    }

    private static string ReasonCode(V1.RejectionReason reason) => reason switch
    {
        V1.RejectionReason.InsufficientEvidence => "INSUFFICIENT_EVIDENCE",
        V1.RejectionReason.NotVerifiable => "NOT_VERIFIABLE",
        V1.RejectionReason.NoMatchingStandard => "NO_MATCHING_STANDARD",
        V1.RejectionReason.OutOfScope => "OUT_OF_SCOPE",
        _ => "OTHER",
    };

    /// <summary>The task with its outcome's evidence files listed (their bytes come from GetEvidenceFile).</summary>
    private static V1.ReviewTask WithEvidence(V1.ReviewTask task, Dictionary<Guid, List<V1.EvidenceFile>> evidence)
    {
        WithEvidence(task.Outcome, evidence);
        return task;
    }

    private static V1.Outcome WithEvidence(V1.Outcome outcome, Dictionary<Guid, List<V1.EvidenceFile>> evidence)
    {
        if (evidence.TryGetValue(Guid.Parse(outcome.OutcomeId), out var files))
        {
            outcome.EvidenceFiles.Add(files);
        }

        return outcome;
    }

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
}
