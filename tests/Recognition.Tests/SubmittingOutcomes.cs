using CreditBank.Contracts.Recognition.V1;
using Grpc.Core;

namespace CreditBank.Recognition.Tests;

public sealed class SubmittingOutcomes(RecognitionHost bank) : IClassFixture<RecognitionHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_passed_course_from_a_trusted_issuer_is_recognised_with_its_credits()
    {
        var request = Requests.Course(credits: 4, grade: "87");

        var answer = await bank.SubmitAsync(request, _ct);

        Assert.Equal(OutcomeStatus.Recognised, answer.Status);
        Assert.Equal(4, answer.Credits);
        var outcome = await bank.GetAsync(answer.OutcomeId, _ct);
        Assert.Equal(OutcomeStatus.Recognised, outcome.Status);
        Assert.Equal("87", outcome.Course.Grade.Value);
        Assert.Equal(request.Course.Title, outcome.Course.Title);
        Assert.Equal(request.Course.CourseCode, outcome.Course.CourseCode);
        Assert.Equal(GradingScheme.Percentage, outcome.Course.Grade.Scheme);
        Assert.Equal("5002**********" + request.Learner.DocumentNumber[^4..], outcome.LearnerDocumentMasked);
        Assert.NotNull(outcome.DecidedAt);
    }

    [Fact]
    public async Task A_recognised_outcome_is_published_once_with_its_event_id_as_message_id_and_no_document_in_clear()
    {
        var request = Requests.Course(credits: 3.5);

        var answer = await bank.SubmitAsync(request, _ct);

        var published = await Eventually.Until(
            () => Task.FromResult(bank.RecognisedAs(answer.OutcomeId)),
            found => found.Count > 0, what: "OutcomesRecognised from the outbox");
        var (messageId, message, outcome) = Assert.Single(published);
        Assert.Equal(message.EventId, messageId);
        Assert.Equal(3.5m, outcome.Credits);
        Assert.Equal("COURSE", outcome.OutcomeKind);
        Assert.Equal("institution:" + Requests.TrustedCollege, message.Actor);
        Assert.Null(message.BatchId);
        Assert.DoesNotContain(request.Learner.DocumentNumber, System.Text.Json.JsonSerializer.Serialize(message));
    }

    [Theory]
    [InlineData(SkillLevel.Elementary, 2)]
    [InlineData(SkillLevel.Intermediate, 4)]
    [InlineData(SkillLevel.Advanced, 6)]
    public async Task A_skill_certificate_from_a_trusted_issuer_earns_credits_by_level(SkillLevel level, double credits)
    {
        var answer = await bank.SubmitAsync(Requests.Certificate(level: level), _ct);

        Assert.Equal(OutcomeStatus.Recognised, answer.Status);
        Assert.Equal(credits, answer.Credits);
    }

    [Fact]
    public async Task An_outcome_from_an_untrusted_issuer_waits_for_review_and_publishes_nothing()
    {
        var answer = await bank.SubmitAsync(Requests.Certificate(institution: Requests.UntrustedTrainer), _ct);

        Assert.Equal(OutcomeStatus.PendingReview, answer.Status);
        Assert.Equal(0, answer.Credits);
        Assert.Contains("not a trusted issuer", answer.StatusReason);
        await Task.Delay(600, _ct); // several relay rounds
        Assert.Empty(bank.RecognisedAs(answer.OutcomeId));
    }

    [Theory]
    [InlineData(GradingScheme.Percentage, "59.5")]
    [InlineData(GradingScheme.FiveLevel, "不及格")]
    [InlineData(GradingScheme.PassFail, "不合格")]
    public async Task A_failed_course_is_rejected_with_the_reason_and_earns_nothing(GradingScheme scheme, string grade)
    {
        var answer = await bank.SubmitAsync(Requests.Course(scheme: scheme, grade: grade), _ct);

        Assert.Equal(OutcomeStatus.Rejected, answer.Status);
        Assert.Equal(0, answer.Credits);
        Assert.Contains("below the pass mark", answer.StatusReason);
        var rejected = await Eventually.Until(
            () => Task.FromResult(bank.RejectedAs(answer.OutcomeId)),
            found => found.Count > 0, what: "OutcomesRejected");
        Assert.Equal("GRADE_BELOW_PASS_MARK", Assert.Single(rejected).Outcome.ReasonCode);
    }

    [Theory]
    [InlineData(GradingScheme.FiveLevel, "良")]
    [InlineData(GradingScheme.FiveLevel, "GOOD")]
    [InlineData(GradingScheme.PassFail, "合格")]
    [InlineData(GradingScheme.Percentage, "60")]
    public async Task Grades_in_every_scheme_are_kept_as_given(GradingScheme scheme, string grade)
    {
        var answer = await bank.SubmitAsync(Requests.Course(scheme: scheme, grade: grade), _ct);

        var outcome = await bank.GetAsync(answer.OutcomeId, _ct);
        Assert.Equal(OutcomeStatus.Recognised, outcome.Status);
        Assert.Equal(scheme, outcome.Course.Grade.Scheme);
        Assert.Equal(grade, outcome.Course.Grade.Value);
    }

    [Fact]
    public async Task An_institution_cannot_submit_under_another_institutions_code()
    {
        var request = Requests.Course(institution: Requests.TrustedCollege);
        var asAssessor = await bank.As(Requests.TrustedAssessor);

        var refused = await Assert.ThrowsAsync<RpcException>(() => asAssessor.SubmitOutcomeAsync(request, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal("NOT_YOUR_INSTITUTION", refused.ErrorInfo()?.Reason);
    }

    [Fact]
    public async Task Another_institution_cannot_see_an_outcome_it_did_not_submit()
    {
        var answer = await bank.SubmitAsync(Requests.Course(), _ct);

        var hidden = await Assert.ThrowsAsync<RpcException>(() => bank.GetAsync(answer.OutcomeId, _ct, Requests.TrustedAssessor));

        Assert.Equal(StatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task A_call_without_a_token_is_unauthenticated()
    {
        var anonymous = new RecognitionService.RecognitionServiceClient(bank.Host.Channel);

        var refused = await Assert.ThrowsAsync<RpcException>(() => anonymous.SubmitOutcomeAsync(Requests.Course(), cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task An_unknown_outcome_is_not_found_and_a_malformed_id_is_invalid()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            bank.GetAsync(Guid.NewGuid().ToString(), _ct));
        var malformed = await Assert.ThrowsAsync<RpcException>(() =>
            bank.GetAsync("not-an-id", _ct));

        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal("OUTCOME_NOT_FOUND", missing.ErrorInfo()?.Reason);
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        Assert.Equal("outcome_id", Assert.Single(malformed.FieldViolations()).Field);
    }
}
