using CreditBank.Contracts.Recognition.V1;
using Grpc.Core;

namespace CreditBank.Recognition.Tests;

/// <summary>The review queue of the learner's workstation: list, claim, recognise or reject — each decision saying who and when.</summary>
public sealed class Reviewing(RecognitionHost bank) : IClassFixture<RecognitionHost>
{
    private const string Liangping = "WS-LIANGPING";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private ReviewService.ReviewServiceClient Reviewers => new(bank.Acting);

    private async Task<string> PendingAsync(int learner)
    {
        var answer = await bank.Client.SubmitOutcomeAsync(Requests.Certificate(documentNumber: Requests.ResidentId(learner), institution: Requests.UntrustedTrainer), cancellationToken: _ct);
        Assert.Equal(OutcomeStatus.PendingReview, answer.Status);
        return answer.OutcomeId;
    }

    [Fact]
    public async Task An_untrusted_issuers_outcome_waits_in_the_queue_of_the_learners_workstation()
    {
        var id = await PendingAsync(801);

        var queue = await Reviewers.ListReviewTasksAsync(new() { WorkstationCode = Liangping, Reviewer = "li.wei", PageSize = 1000 }, cancellationToken: _ct);
        var other = await Reviewers.ListReviewTasksAsync(new() { WorkstationCode = "WS-SHAPINGBA", Reviewer = "wang.fang", PageSize = 1000 }, cancellationToken: _ct);

        var task = Assert.Single(queue.Tasks, t => t.Outcome.OutcomeId == id);
        Assert.Equal("ISSUER_NOT_TRUSTED", task.QueuedReasonCode);
        Assert.Equal("1X-WEB-2", Assert.Single(task.SuggestedUnitCodes));
        Assert.Equal(4, task.SuggestedCredits);
        Assert.DoesNotContain(other.Tasks, t => t.Outcome.OutcomeId == id);
    }

    [Fact]
    public async Task A_reviewer_claims_and_recognises_within_the_units_bounds_and_the_learner_sees_who_and_why()
    {
        var id = await PendingAsync(802);
        await Reviewers.ClaimReviewTaskAsync(new() { WorkstationCode = Liangping, OutcomeId = id, Reviewer = "li.wei" }, cancellationToken: _ct);
        var tooMuch = await Assert.ThrowsAsync<RpcException>(() => Reviewers.RecogniseOutcomeAsync(new()
        {
            WorkstationCode = Liangping, OutcomeId = id, Reviewer = "li.wei", UnitCode = "1X-WEB-2", Credits = 9,
        }, cancellationToken: _ct).ResponseAsync);

        var decided = await Reviewers.RecogniseOutcomeAsync(new()
        {
            WorkstationCode = Liangping, OutcomeId = id, Reviewer = "li.wei", UnitCode = "1X-WEB-2", Credits = 3, Comment = "证书经核验真实",
        }, cancellationToken: _ct);
        var seen = (await bank.Client.GetOutcomeAsync(new() { OutcomeId = id }, cancellationToken: _ct)).Outcome;
        var published = await Eventually.Until(() => Task.FromResult(bank.RecognisedAs(id)),
            found => found.Count > 0, what: "OutcomesRecognised for the reviewed outcome");

        Assert.Equal("credits", Assert.Single(tooMuch.FieldViolations()).Field);
        Assert.Equal(OutcomeStatus.Recognised, seen.Status);
        Assert.Equal(3, seen.Credits);
        Assert.Equal("1X-WEB-2", seen.UnitCode);
        Assert.Equal(bank.Callers.ReviewerActor, seen.DecidedBy);
        Assert.NotNull(seen.DecidedAt);
        Assert.Contains("证书经核验真实", seen.StatusReason);
        Assert.Equal(decided.Outcome.StatusReason, seen.StatusReason);
        Assert.Equal(bank.Callers.ReviewerActor, Assert.Single(published).Event.Actor);
        var queue = await Reviewers.ListReviewTasksAsync(new() { WorkstationCode = Liangping, Reviewer = "li.wei", PageSize = 1000 }, cancellationToken: _ct);
        Assert.DoesNotContain(queue.Tasks, t => t.Outcome.OutcomeId == id);
    }

    [Fact]
    public async Task A_reviewer_rejects_with_a_reason_code_and_comment_the_learner_reads()
    {
        var number = Requests.ResidentId(803);
        var id = await PendingAsync(803);
        await Reviewers.ClaimReviewTaskAsync(new() { WorkstationCode = Liangping, OutcomeId = id, Reviewer = "zhang.min" }, cancellationToken: _ct);

        await Reviewers.RejectOutcomeAsync(new()
        {
            WorkstationCode = Liangping, OutcomeId = id, Reviewer = "zhang.min", Reason = RejectionReason.NotVerifiable, Comment = "证书编号在发证平台查无此证",
        }, cancellationToken: _ct);
        var mine = await bank.Client.ListLearnerOutcomesAsync(new() { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = number }, cancellationToken: _ct);

        var seen = Assert.Single(mine.Outcomes, o => o.OutcomeId == id);
        Assert.Equal(OutcomeStatus.Rejected, seen.Status);
        Assert.Equal("NOT_VERIFIABLE", seen.StatusReasonCode);
        Assert.Contains("查无此证", seen.StatusReason);
        Assert.Equal(bank.Callers.ReviewerActor, seen.DecidedBy);
        Assert.Equal(0, seen.Credits);
    }

    [Fact]
    public async Task A_task_claimed_by_one_reviewer_cannot_be_claimed_or_decided_by_another()
    {
        var id = await PendingAsync(804);
        // The workstation's reviewer and a bank administrator (who may work any queue) press "claim" together.
        var people = new Dictionary<string, ReviewService.ReviewServiceClient>
        {
            ["reviewer"] = new(bank.Host.Channel.WithToken(bank.Callers.ReviewerToken)),
            ["admin"] = new(bank.Host.Channel.WithToken(bank.Callers.AdminToken)),
        };
        var claims = await Task.WhenAll(people.Keys.Select(async r =>
        {
            try
            {
                await people[r].ClaimReviewTaskAsync(new() { WorkstationCode = Liangping, OutcomeId = id }, cancellationToken: _ct);
                return r;
            }
            catch (RpcException e) when (e.ErrorInfo()?.Reason == "CLAIMED_BY_ANOTHER")
            {
                return null;
            }
        }));
        var winner = Assert.Single(claims, c => c is not null)!;
        var loser = people.Keys.First(r => r != winner);

        var refused = await Assert.ThrowsAsync<RpcException>(() => people[loser].RejectOutcomeAsync(new()
        {
            WorkstationCode = Liangping, OutcomeId = id, Reason = RejectionReason.Other, Comment = "x",
        }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal("CLAIMED_BY_ANOTHER", refused.ErrorInfo()?.Reason);
    }

    [Fact]
    public async Task Another_workstation_cannot_see_or_decide_the_task()
    {
        var id = await PendingAsync(805);

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            Reviewers.ClaimReviewTaskAsync(new() { WorkstationCode = "WS-SHAPINGBA", OutcomeId = id, Reviewer = "wang.fang" }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        Assert.Equal("REVIEW_TASK_NOT_FOUND", refused.ErrorInfo()?.Reason);
    }

    [Fact]
    public async Task Deciding_without_claiming_first_is_refused()
    {
        var id = await PendingAsync(806);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Reviewers.RecogniseOutcomeAsync(new()
        {
            WorkstationCode = Liangping, OutcomeId = id, Reviewer = "li.wei", UnitCode = "1X-WEB-2", Credits = 4,
        }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal("REVIEW_TASK_NOT_CLAIMED", refused.ErrorInfo()?.Reason);
    }
}
