using CreditBank.Contracts.Recognition.V1;
using CreditBank.TestSupport;
using Grpc.Core;
using Xunit;

namespace CreditBank.Recognition.Tests;

/// <summary>A signed-in learner reads their own outcomes without typing their document number (what the portal does).</summary>
public sealed class LearnersOwnOutcomes(RecognitionHost bank) : IClassFixture<RecognitionHost>
{
    private const string ZhangSan = "500228200501011237"; // the demo learner zhangsan's document (identity's demo seed)
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_learner_who_names_no_document_lists_the_outcomes_of_the_document_they_were_verified_with()
    {
        var mine = await bank.Client.SubmitOutcomeAsync(Requests.Course(documentNumber: ZhangSan), cancellationToken: _ct);
        var someoneElses = await bank.Client.SubmitOutcomeAsync(Requests.Course(documentNumber: Requests.ResidentId(901)), cancellationToken: _ct);
        var token = await Tokens.ForPersonAsync(bank.Host.Handler, "zhangsan", "demo-learner-1", baseAddress: bank.Host.BaseAddress);
        var learner = new RecognitionService.RecognitionServiceClient(bank.Host.Channel.WithToken(token));

        var listed = await learner.ListLearnerOutcomesAsync(new ListLearnerOutcomesRequest(), cancellationToken: _ct);

        Assert.Contains(listed.Outcomes, o => o.OutcomeId == mine.OutcomeId);
        Assert.DoesNotContain(listed.Outcomes, o => o.OutcomeId == someoneElses.OutcomeId);
        Assert.All(listed.Outcomes, o => Assert.Equal("张三", o.LearnerName));
    }

    [Fact]
    public async Task An_administrator_who_names_no_document_is_told_which_field_is_missing()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => bank.Client.ListLearnerOutcomesAsync(new ListLearnerOutcomesRequest(), cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(error.FieldViolations(), v => v.Field == "document_type");
    }
}
