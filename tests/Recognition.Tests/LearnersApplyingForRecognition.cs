using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CreditBank.Contracts.Recognition.V1;
using Google.Protobuf;
using Grpc.Core;

namespace CreditBank.Recognition.Tests;

/// <summary>
/// A learner applies for recognition of their own informal learning with evidence files (申请认定非正式学习成果); a
/// reviewer of their workstation reads the files and decides. Real tokens throughout, the learner's from signing in.
/// </summary>
public sealed class LearnersApplyingForRecognition(RecognitionHost bank) : IClassFixture<RecognitionHost>
{
    private const string Liangping = "WS-LIANGPING";
    private const string ApplyScope = "openid accounts.read outcomes.apply";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    /// <summary>A small but real PDF's first bytes, and something after them that differs per call.</summary>
    private static byte[] Pdf(string text = "certificate") => Encoding.ASCII.GetBytes($"%PDF-1.4\n% {text} {Guid.NewGuid()}\n%%EOF\n");

    private static ApplyForRecognitionRequest Application(params EvidenceUpload[] files) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        InformalOutcome = new InformalOutcome
        {
            Type = InformalType.Mooc, Title = $"数据结构与算法 {Requests.Serial()}", Provider = "中国大学MOOC", Hours = 48, CompletionDate = "2026-06-30",
            CertificateNumber = $"MOOC-{Guid.NewGuid():N}"[..20],
        },
        EvidenceFiles = { files.Length > 0 ? files : [new EvidenceUpload { FileName = "certificate.pdf", Content = ByteString.CopyFrom(Pdf()) }] },
    };

    /// <summary>A verified learner of 梁平 whose document the bank holds (an institution banked a course of theirs), signed in to apply.</summary>
    private async Task<RecognitionService.RecognitionServiceClient> LearnerAsync(int n)
    {
        var document = Requests.ResidentId(n);
        await bank.Client.SubmitOutcomeAsync(Requests.Course(documentNumber: document), cancellationToken: _ct);
        var userName = $"informal-{n}-{Guid.NewGuid():N}"[..24];
        await People.VerifiedLearnerAsync(bank.Host, userName, document);
        var token = await Tokens.ForPersonAsync(bank.Host.Handler, userName, "pw-" + userName, ApplyScope);
        return new RecognitionService.RecognitionServiceClient(bank.Host.Channel.WithToken(token));
    }

    private async Task<(ReviewService.ReviewServiceClient Reviews, RecognitionService.RecognitionServiceClient Recognition)> ReviewerAsync()
    {
        var token = await Tokens.ForPersonAsync(bank.Host.Handler, "reviewer-liangping", "demo-reviewer", "openid accounts.read outcomes.review");
        var channel = bank.Host.Channel.WithToken(token);
        return (new ReviewService.ReviewServiceClient(channel), new RecognitionService.RecognitionServiceClient(channel));
    }

    [Fact]
    public async Task A_learners_application_with_a_pdf_waits_in_their_workstations_queue_and_the_reviewer_reads_the_file_and_recognises_it()
    {
        var learner = await LearnerAsync(951);
        var pdf = Pdf();
        var (reviews, asReviewer) = await ReviewerAsync();

        var applied = await learner.ApplyForRecognitionAsync(Application(new EvidenceUpload { FileName = "结业证书.pdf", Content = ByteString.CopyFrom(pdf) }), cancellationToken: _ct);
        var queue = await reviews.ListReviewTasksAsync(new() { WorkstationCode = Liangping, PageSize = 1000 }, cancellationToken: _ct);
        var task = Assert.Single(queue.Tasks, t => t.Outcome.OutcomeId == applied.OutcomeId);
        var listed = Assert.Single(task.Outcome.EvidenceFiles);
        var downloaded = await asReviewer.GetEvidenceFileAsync(new() { OutcomeId = applied.OutcomeId, FileId = listed.FileId }, cancellationToken: _ct);
        await reviews.ClaimReviewTaskAsync(new() { WorkstationCode = Liangping, OutcomeId = applied.OutcomeId }, cancellationToken: _ct);
        var decided = await reviews.RecogniseOutcomeAsync(new()
        {
            WorkstationCode = Liangping, OutcomeId = applied.OutcomeId, UnitCode = task.SuggestedUnitCodes[0], Credits = 2, Comment = "证书与平台记录一致",
        }, cancellationToken: _ct);
        var mine = await learner.ListLearnerOutcomesAsync(new(), cancellationToken: _ct);

        Assert.Equal((OutcomeStatus.PendingReview, "INFORMAL_OUTCOME", Liangping, false), (applied.Status, applied.StatusReasonCode, applied.WorkstationCode, applied.Duplicate));
        Assert.Equal("INFORMAL_OUTCOME", task.QueuedReasonCode);
        Assert.Equal("LEARNER", task.Outcome.InstitutionCode);
        Assert.Equal(("结业证书.pdf", "application/pdf", (long)pdf.Length, Convert.ToHexStringLower(SHA256.HashData(pdf))),
            (listed.FileName, listed.ContentType, listed.SizeBytes, listed.Sha256));
        Assert.Equal(pdf, downloaded.Content.ToByteArray());
        Assert.Equal(OutcomeStatus.Recognised, decided.Outcome.Status);
        Assert.Equal(listed, Assert.Single(decided.Outcome.EvidenceFiles));
        var seen = Assert.Single(mine.Outcomes, o => o.OutcomeId == applied.OutcomeId);
        Assert.Equal((OutcomeStatus.Recognised, 2.0), (seen.Status, seen.Credits));
        Assert.Equal(listed, Assert.Single(seen.EvidenceFiles));
    }

    [Fact]
    public async Task A_program_renamed_pdf_is_refused_by_its_content()
    {
        var learner = await LearnerAsync(952);
        var exe = new byte[] { (byte)'M', (byte)'Z', 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00 };

        var refused = await Assert.ThrowsAsync<RpcException>(() => learner.ApplyForRecognitionAsync(
            Application(new EvidenceUpload { FileName = "certificate.pdf", Content = ByteString.CopyFrom(exe) }), cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var violation = Assert.Single(refused.FieldViolations());
        Assert.Equal(("evidence_files[0].content", "UNSUPPORTED_EVIDENCE_TYPE"), (violation.Field, violation.Reason));
    }

    [Fact]
    public async Task A_file_over_one_megabyte_is_refused_and_nothing_is_stored()
    {
        var learner = await LearnerAsync(953);
        var big = new byte[1024 * 1024 + 1];
        Pdf().CopyTo(big, 0);
        var request = Application(new EvidenceUpload { FileName = "scan.pdf", Content = ByteString.CopyFrom(big) });

        var refused = await Assert.ThrowsAsync<RpcException>(() => learner.ApplyForRecognitionAsync(request, cancellationToken: _ct).ResponseAsync);
        var mine = await learner.ListLearnerOutcomesAsync(new(), cancellationToken: _ct);

        Assert.Equal(("evidence_files[0].content", "EVIDENCE_FILE_TOO_LARGE"), (Assert.Single(refused.FieldViolations()).Field, refused.FieldViolations()[0].Reason));
        // The title an outcome shows is "title · provider · hours".
        Assert.DoesNotContain(mine.Outcomes, o => o.InformalOutcome?.Title.StartsWith(request.InformalOutcome.Title, StringComparison.Ordinal) == true);
        Assert.DoesNotContain(mine.Outcomes, o => o.InstitutionCode == "LEARNER");
    }

    [Fact]
    public async Task Six_files_are_one_too_many()
    {
        var learner = await LearnerAsync(954);
        var files = Enumerable.Range(1, 6).Select(i => new EvidenceUpload { FileName = $"page-{i}.pdf", Content = ByteString.CopyFrom(Pdf()) }).ToArray();

        var refused = await Assert.ThrowsAsync<RpcException>(() => learner.ApplyForRecognitionAsync(Application(files), cancellationToken: _ct).ResponseAsync);

        Assert.Equal(("evidence_files", "TOO_MANY_EVIDENCE_FILES"), (Assert.Single(refused.FieldViolations()).Field, refused.FieldViolations()[0].Reason));
    }

    [Fact]
    public async Task Another_learner_cannot_download_the_evidence_and_is_answered_as_for_a_file_that_does_not_exist()
    {
        var owner = await LearnerAsync(955);
        var other = await LearnerAsync(956);
        var applied = await owner.ApplyForRecognitionAsync(Application(), cancellationToken: _ct);
        var fileId = applied.EvidenceFiles[0].FileId;
        var missingId = Guid.NewGuid().ToString();

        var notYours = await Assert.ThrowsAsync<RpcException>(() => other.GetEvidenceFileAsync(new() { OutcomeId = applied.OutcomeId, FileId = fileId }, cancellationToken: _ct).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() => owner.GetEvidenceFileAsync(new() { OutcomeId = applied.OutcomeId, FileId = missingId }, cancellationToken: _ct).ResponseAsync);
        var own = await owner.GetEvidenceFileAsync(new() { OutcomeId = applied.OutcomeId, FileId = fileId }, cancellationToken: _ct);

        Assert.Equal((StatusCode.NotFound, "EVIDENCE_FILE_NOT_FOUND"), (notYours.StatusCode, notYours.ErrorInfo()?.Reason));
        Assert.Equal(missing.Status.Detail.Replace(missingId, "ID"), notYours.Status.Detail.Replace(fileId, "ID"));
        Assert.Equal(applied.EvidenceFiles[0].Sha256, Convert.ToHexStringLower(SHA256.HashData(own.Content.Span)));
    }

    [Fact]
    public async Task The_issuing_institution_role_cannot_apply_for_a_learner()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => bank.Client.ApplyForRecognitionAsync(Application(), cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task A_retry_with_the_same_request_id_over_rest_returns_the_first_answer_and_stores_one_outcome()
    {
        var document = Requests.ResidentId(957);
        await bank.Client.SubmitOutcomeAsync(Requests.Course(documentNumber: document), cancellationToken: _ct);
        var userName = $"informal-rest-{Guid.NewGuid():N}"[..24];
        await People.VerifiedLearnerAsync(bank.Host, userName, document);
        var token = await Tokens.ForPersonAsync(bank.Host.Handler, userName, "pw-" + userName, ApplyScope);
        var pdf = Pdf();
        var body = new
        {
            requestId = Guid.NewGuid().ToString(),
            informalOutcome = new { type = "INFORMAL_TYPE_WORK_EXPERIENCE", title = "软件测试工程师工作经历", provider = "重庆某软件公司", hours = 2000, completionDate = "2026-03-31" },
            evidenceFiles = new[] { new { fileName = "在职证明.pdf", content = Convert.ToBase64String(pdf) } },
        };

        var first = await PostAsync(body, token);
        var again = await PostAsync(body, token);
        var mine = await new RecognitionService.RecognitionServiceClient(bank.Host.Channel.WithToken(token)).ListLearnerOutcomesAsync(new(), cancellationToken: _ct);

        Assert.Equal(first.GetProperty("outcomeId").GetString(), again.GetProperty("outcomeId").GetString());
        Assert.Equal("OUTCOME_STATUS_PENDING_REVIEW", again.GetProperty("status").GetString());
        Assert.False(again.TryGetProperty("duplicate", out var duplicate) && duplicate.GetBoolean());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), again.GetProperty("evidenceFiles")[0].GetProperty("sha256").GetString());
        Assert.Single(mine.Outcomes, o => o.InstitutionCode == "LEARNER");
    }

    private async Task<JsonElement> PostAsync(object body, string token)
    {
        using var response = await bank.Host.Rest.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/outcomes:apply") { Content = JsonContent.Create(body) }.WithToken(token), _ct);
        var text = await response.Content.ReadAsStringAsync(_ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
