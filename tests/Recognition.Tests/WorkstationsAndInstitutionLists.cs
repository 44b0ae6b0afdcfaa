using CreditBank.Contracts.Recognition.V1;
using CreditBank.PersonalData;
using CreditBank.TestSupport;
using Grpc.Core;
using Xunit;

namespace CreditBank.Recognition.Tests;

/// <summary>Administrators run workstations; an institution lists what it submitted.</summary>
public sealed class WorkstationsAndInstitutionLists(RecognitionHost recognition) : IClassFixture<RecognitionHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private WorkstationService.WorkstationServiceClient Admin => new(recognition.Host.Channel.WithToken(recognition.Callers.AdminToken));

    private ReviewService.ReviewServiceClient Reviewer => new(recognition.Host.Channel.WithToken(recognition.Callers.ReviewerToken));

    /// <summary>A learner of 万州区 (500101), a district no seeded workstation serves.</summary>
    private static string WanzhouLearner(int n)
    {
        var first17 = $"500101{1990 + n % 20:D4}0101{n % 1000:D3}";
        return first17 + IdentityDocument.CheckCharacter(first17);
    }

    [Fact]
    public async Task A_new_workstation_queues_its_districts_outcomes_for_the_reviewers_assigned_to_it_and_no_longer_once_removed()
    {
        var reviewerSubject = recognition.Callers.ReviewerActor["reviewer:".Length..];
        var created = await Admin.CreateWorkstationAsync(new() { WorkstationCode = "WS-WANZHOU", Name = "万州工作站", DistrictCodes = { "500101" } }, cancellationToken: _ct);
        await Admin.AssignReviewerAsync(new() { WorkstationCode = "WS-WANZHOU", ReviewerSubject = reviewerSubject }, cancellationToken: _ct);
        var pending = await recognition.SubmitAsync(Requests.Course(documentNumber: WanzhouLearner(1), institution: Requests.UntrustedTrainer), _ct);

        var queue = await Reviewer.ListReviewTasksAsync(new() { WorkstationCode = "WS-WANZHOU" }, cancellationToken: _ct);
        var listed = await new CatalogueService.CatalogueServiceClient(recognition.Host.Channel.WithToken(recognition.Callers.AdminToken))
            .ListWorkstationsAsync(new(), cancellationToken: _ct);
        await Admin.RemoveReviewerAsync(new() { WorkstationCode = "WS-WANZHOU", ReviewerSubject = reviewerSubject }, cancellationToken: _ct);
        var refused = await Assert.ThrowsAsync<RpcException>(() => Reviewer.ListReviewTasksAsync(new() { WorkstationCode = "WS-WANZHOU" }, cancellationToken: _ct).ResponseAsync);
        var audit = await new Contracts.Operations.V1.AuditService.AuditServiceClient(recognition.Host.Channel.WithToken(recognition.Callers.AdminToken))
            .ListAuditEntriesAsync(new() { Service = "recognition", Target = "workstation:WS-WANZHOU" }, cancellationToken: _ct);

        Assert.Equal(["500101"], created.Workstation.DistrictCodes);
        Assert.Equal(OutcomeStatus.PendingReview, pending.Status);
        Assert.Equal("WS-WANZHOU", (await recognition.GetAsync(pending.OutcomeId, _ct, Requests.UntrustedTrainer)).WorkstationCode);
        Assert.Contains(queue.Tasks, t => t.Outcome.OutcomeId == pending.OutcomeId);
        Assert.Equal([reviewerSubject], listed.Workstations.Single(w => w.Code == "WS-WANZHOU").ReviewerSubjects);
        Assert.Equal((StatusCode.PermissionDenied, "NOT_YOUR_WORKSTATION"), (refused.StatusCode, refused.ErrorInfo()?.Reason));
        Assert.Equal(["RemoveReviewer", "AssignReviewer", "CreateWorkstation"], audit.Entries.Select(e => e.Action));
        Assert.All(audit.Entries, e => Assert.Equal(recognition.Callers.AdminActor, e.Actor));
    }

    [Fact]
    public async Task A_district_another_workstation_serves_cannot_be_taken()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => Admin.UpdateWorkstationDistrictsAsync(
            new() { WorkstationCode = "WS-SHAPINGBA", DistrictCodes = { "500103", "500155" } }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal((StatusCode.FailedPrecondition, "DISTRICT_SERVED_ELSEWHERE"), (refused.StatusCode, refused.ErrorInfo()?.Reason));
        Assert.Contains("WS-LIANGPING", refused.Status.Detail);
    }

    [Fact]
    public async Task An_institution_pages_its_outcomes_newest_first_and_filters_them_by_status_and_learner()
    {
        var number = Requests.ResidentId(611);
        var submitted = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            submitted.Add((await recognition.SubmitAsync(Requests.Course(documentNumber: number, grade: i == 2 ? "40" : "90"), _ct)).OutcomeId);
        }

        var college = await recognition.As(Requests.TrustedCollege);
        var paged = new List<Outcome>();
        var token = string.Empty;
        do
        {
            var page = await college.ListInstitutionOutcomesAsync(new()
            {
                InstitutionCode = Requests.TrustedCollege, LearnerDocumentType = Contracts.Recognition.V1.DocumentType.ResidentIdCard, LearnerDocumentNumber = number, PageSize = 2, PageToken = token,
            }, cancellationToken: _ct);
            paged.AddRange(page.Outcomes);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        var rejected = await college.ListInstitutionOutcomesAsync(new()
        {
            InstitutionCode = Requests.TrustedCollege, LearnerDocumentType = Contracts.Recognition.V1.DocumentType.ResidentIdCard, LearnerDocumentNumber = number, Status = OutcomeStatus.Rejected,
        }, cancellationToken: _ct);

        Assert.Equal(Enumerable.Reverse(submitted), paged.Select(o => o.OutcomeId));
        Assert.Equal([submitted[2]], rejected.Outcomes.Select(o => o.OutcomeId));
    }

    [Fact]
    public async Task An_institution_lists_its_batches_newest_first_and_not_another_institutions()
    {
        var batches = new BatchService.BatchServiceClient(recognition.Acting);
        var requestIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var call = batches.UploadBatch(cancellationToken: _ct);
            var requestId = $"list-batches-{i}-{Guid.NewGuid():N}";
            await call.RequestStream.WriteAsync(new() { Header = new() { RequestId = requestId, InstitutionCode = Requests.TrustedCollege } }, _ct);
            await call.RequestStream.CompleteAsync();
            await call;
            requestIds.Add(requestId);
        }

        var college = new BatchService.BatchServiceClient(recognition.Host.Channel.WithToken(recognition.Callers.TokenOf(Requests.TrustedCollege)));
        var listed = new List<Batch>();
        var token = string.Empty;
        do
        {
            var page = await college.ListBatchesAsync(new() { InstitutionCode = Requests.TrustedCollege, PageSize = 2, PageToken = token }, cancellationToken: _ct);
            listed.AddRange(page.Batches);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        var notYours = await Assert.ThrowsAsync<RpcException>(() =>
            college.ListBatchesAsync(new() { InstitutionCode = Requests.TrustedAssessor }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(Enumerable.Reverse(requestIds), listed.Select(b => b.RequestId).Where(requestIds.Contains));
        Assert.All(listed, b => Assert.Equal(BatchState.Completed, b.State));
        Assert.Equal((StatusCode.NotFound, "INSTITUTION_NOT_FOUND"), (notYours.StatusCode, notYours.ErrorInfo()?.Reason));
    }

    [Fact]
    public async Task A_reviewer_sees_the_queue_counted_per_status_and_lists_their_decisions_newest_first()
    {
        var decided = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var pending = await recognition.SubmitAsync(Requests.Course(documentNumber: Requests.ResidentId(620 + i), institution: Requests.UntrustedTrainer), _ct);
            await Reviewer.ClaimReviewTaskAsync(new() { WorkstationCode = "WS-LIANGPING", OutcomeId = pending.OutcomeId }, cancellationToken: _ct);
            await Reviewer.RejectOutcomeAsync(new()
            {
                WorkstationCode = "WS-LIANGPING", OutcomeId = pending.OutcomeId, Reason = RejectionReason.NotVerifiable, Comment = "无法核验",
            }, cancellationToken: _ct);
            decided.Add(pending.OutcomeId);
        }

        var queue = await Reviewer.ListReviewTasksAsync(new() { WorkstationCode = "WS-LIANGPING" }, cancellationToken: _ct);
        var listed = new List<DecidedReviewTask>();
        var token = string.Empty;
        do
        {
            var page = await Reviewer.ListDecidedReviewTasksAsync(new()
            {
                WorkstationCode = "WS-LIANGPING", DecidedBy = recognition.Callers.ReviewerActor, PageSize = 2, PageToken = token,
            }, cancellationToken: _ct);
            listed.AddRange(page.Tasks);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.True(queue.Counts.Rejected >= 3, $"rejected: {queue.Counts.Rejected}");
        Assert.Equal(Enumerable.Reverse(decided), listed.Select(t => t.Outcome.OutcomeId).Where(decided.Contains));
        Assert.All(listed, t => Assert.Equal(recognition.Callers.ReviewerActor, t.DecidedBy));
        Assert.Equal("REJECTED", listed.First(t => t.Outcome.OutcomeId == decided[0]).Decision);
    }

    [Fact]
    public async Task Another_institutions_outcomes_look_exactly_like_an_institution_the_bank_does_not_know()
    {
        var college = await recognition.As(Requests.TrustedCollege);

        var notYours = await Assert.ThrowsAsync<RpcException>(() => college.ListInstitutionOutcomesAsync(
            new() { InstitutionCode = Requests.TrustedAssessor }, cancellationToken: _ct).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => college.ListInstitutionOutcomesAsync(
            new() { InstitutionCode = "4150099999" }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal((StatusCode.NotFound, "INSTITUTION_NOT_FOUND"), (notYours.StatusCode, notYours.ErrorInfo()?.Reason));
        Assert.Equal((unknown.StatusCode, unknown.ErrorInfo()?.Reason), (notYours.StatusCode, notYours.ErrorInfo()?.Reason));
        Assert.Equal(unknown.Status.Detail.Replace("4150099999", "X"), notYours.Status.Detail.Replace(Requests.TrustedAssessor, "X"));
    }
}
