using CreditBank.Contracts.Recognition.V1;
using Google.Rpc;
using CreditBank.Recognition.Data;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CreditBank.Recognition.Tests;

/// <summary>Recognition with room for one SubmitOutcome at a time and no waiting for a turn.</summary>
public sealed class OneSubmitAtATime : RecognitionHost
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Recognition:MaxConcurrentSubmits"] = "1",
        ["Recognition:SubmitWait"] = "00:00:00",
    };
}

public sealed class Overload(OneSubmitAtATime bank) : IClassFixture<OneSubmitAtATime>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submits_beyond_the_limit_are_refused_as_resource_exhausted_and_their_retries_are_accepted()
    {
        var requests = Enumerable.Range(0, 24).Select(i => Requests.Course(documentNumber: Requests.ResidentId(900 + i))).ToList();

        var answers = await Task.WhenAll(requests.Select(async request =>
        {
            try
            {
                return (Request: request, Answer: await bank.SubmitAsync(request, _ct), Refusal: (RpcException?)null);
            }
            catch (RpcException e)
            {
                return (Request: request, Answer: (SubmitOutcomeResponse?)null, Refusal: e);
            }
        }));
        var refused = answers.Where(a => a.Refusal is not null).ToList();
        var retried = new List<SubmitOutcomeResponse>();
        foreach (var (request, _, _) in refused)
        {
            retried.Add(await bank.SubmitAsync(request, _ct)); // one at a time: always a turn free
        }

        Assert.NotEmpty(refused);
        Assert.Contains(answers, a => a.Answer is not null);
        Assert.All(refused, a =>
        {
            Assert.Equal(StatusCode.ResourceExhausted, a.Refusal!.StatusCode);
            Assert.Equal("TOO_MANY_CALLS", a.Refusal.ErrorInfo()?.Reason);
            Assert.Contains("same request_id", a.Refusal.Status.Detail);
            Assert.NotNull(a.Refusal.GetRpcStatus()?.GetDetail<RetryInfo>());
        });
        Assert.All(retried, answer => Assert.False(answer.Duplicate));
        Assert.Equal(requests.Count, answers.Count(a => a.Answer is not null) + retried.Count);
    }

    [Fact]
    public async Task Other_calls_are_not_limited()
    {
        var submitted = await bank.SubmitAsync(Requests.Course(documentNumber: Requests.ResidentId(950)), _ct);

        var reads = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => bank.GetAsync(submitted.OutcomeId, _ct)));

        Assert.All(reads, outcome => Assert.Equal(submitted.OutcomeId, outcome.OutcomeId));
    }
}

public sealed class Stopping
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_replica_that_stops_writing_submissions_refuses_new_ones_as_unavailable_and_stores_nothing()
    {
        await using var bank = new RecognitionHost();
        await bank.InitializeAsync();
        var before = await bank.SubmitAsync(Requests.Course(documentNumber: Requests.ResidentId(930)), _ct);
        var writer = bank.Host.Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "SubmissionWriter");

        await writer.StopAsync(_ct);
        var request = Requests.Course(documentNumber: Requests.ResidentId(931));
        var refused = await Assert.ThrowsAsync<RpcException>(() => bank.SubmitAsync(request, _ct));

        Assert.Equal(OutcomeStatus.Recognised, before.Status);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal("SHUTTING_DOWN", refused.ErrorInfo()?.Reason);
        Assert.Contains("same request_id", refused.Status.Detail);
        Assert.NotNull(refused.GetRpcStatus()?.GetDetail<RetryInfo>());
        await using var scope = bank.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecognitionDb>();
        Assert.False(await db.Outcomes.AnyAsync(o => o.CourseTitle == request.Course.Title, _ct));
        var read = await Assert.ThrowsAsync<RpcException>(() => bank.Client.GetOutcomeAsync(new() { OutcomeId = Guid.Empty.ToString() }, cancellationToken: _ct).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, read.StatusCode); // reads go on
    }
}
