using CreditBank.Contracts.Recognition.V1;
using CreditBank.Recognition.Data;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditBank.Recognition.Tests;

public sealed class Idempotency(RecognitionHost bank) : IClassFixture<RecognitionHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Resubmitting_with_the_same_request_id_returns_the_first_answer_and_adds_no_second_outcome()
    {
        var request = Requests.Course(documentNumber: Requests.ResidentId(501));

        var first = await bank.SubmitAsync(request, _ct);
        var again = await bank.SubmitAsync(request, _ct);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            bank.SubmitAsync(request, _ct)));

        Assert.Equal(first, again);
        Assert.All(concurrent, answer => Assert.Equal(first, answer));
        Assert.Equal(1, await CountOutcomesAsync(request));
        await Eventually.Until(() => Task.FromResult(bank.RecognisedAs(first.OutcomeId).Count), n => n > 0,
            what: "OutcomeRecognised from the outbox");
        await Task.Delay(600, _ct); // several more relay rounds: nothing else may follow
        Assert.Single(bank.RecognisedAs(first.OutcomeId));
    }

    [Fact]
    public async Task Reusing_a_request_id_for_a_different_outcome_is_refused_as_already_exists()
    {
        var request = Requests.Course(documentNumber: Requests.ResidentId(502));
        await bank.SubmitAsync(request, _ct);
        var different = request.Clone();
        different.Course.Credits = 2;

        var refused = await Assert.ThrowsAsync<RpcException>(() => bank.SubmitAsync(different, _ct));

        Assert.Equal(StatusCode.AlreadyExists, refused.StatusCode);
        Assert.Equal("REQUEST_ID_REUSED", refused.ErrorInfo()?.Reason);
        Assert.Contains("different submission", refused.Status.Detail);
    }

    [Fact]
    public async Task A_retry_and_a_reused_request_id_are_answered_without_an_error_in_the_log()
    {
        // Both meet the unique index on (institution, request_id): that is how a retry is told from a first request,
        // not a failure an operator should be called for.
        var request = Requests.Course(documentNumber: Requests.ResidentId(505));
        await bank.SubmitAsync(request, _ct);
        await bank.SubmitAsync(request, _ct);
        var different = request.Clone();
        different.Course.Credits = 2;
        await Assert.ThrowsAsync<RpcException>(() => bank.SubmitAsync(different, _ct));

        Assert.DoesNotContain(TestLog.All, line =>
            line.StartsWith("Error ", StringComparison.Ordinal) && line.Contains("submissions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_request_id_from_another_institution_is_a_separate_submission()
    {
        var fromCollege = Requests.Course(documentNumber: Requests.ResidentId(503));
        var fromAssessor = Requests.Certificate(documentNumber: Requests.ResidentId(503));
        fromAssessor.RequestId = fromCollege.RequestId;

        var a = await bank.SubmitAsync(fromCollege, _ct);
        var b = await bank.SubmitAsync(fromAssessor, _ct);

        Assert.NotEqual(a.OutcomeId, b.OutcomeId);
    }

    [Fact]
    public async Task A_refused_submission_stores_nothing_so_its_corrected_retry_is_accepted()
    {
        var request = Requests.Course(documentNumber: Requests.ResidentId(504), credits: 31);
        await Assert.ThrowsAsync<RpcException>(() => bank.SubmitAsync(request, _ct));
        Assert.Equal(0, await CountOutcomesAsync(request));

        request.Course.Credits = 3;
        var answer = await bank.SubmitAsync(request, _ct);

        Assert.Equal(OutcomeStatus.Recognised, answer.Status);
        Assert.Equal(1, await CountOutcomesAsync(request));
    }

    private async Task<int> CountOutcomesAsync(SubmitOutcomeRequest request)
    {
        await using var scope = bank.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecognitionDb>();
        var masked = "5002**********" + request.Learner.DocumentNumber[^4..];
        return await db.Outcomes.CountAsync(o => o.LearnerDocumentMasked == masked && o.InstitutionCode == request.InstitutionCode, _ct);
    }
}
