using System.Diagnostics;
using CreditBank.Contracts.Recognition.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace CreditBank.Hardening.Tests;

/// <summary>
/// One HTTP/2 connection carries many calls: a huge or slow request on it must never hold up the others. Each test
/// uses one channel (one connection) to the standalone host's gRPC port.
/// </summary>
[Collection(OneStandaloneBank.Name)]
public sealed class Http2Connections(StandaloneBank bank)
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(2);

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(60_000, StatusCode.InvalidArgument, "FIELD_TOO_LONG")]
    [InlineData(1_000_000, StatusCode.ResourceExhausted, "REQUEST_TOO_LARGE")]
    public async Task An_invalid_grade_of_any_size_is_answered_at_once_and_the_next_call_on_the_connection_too(int size, StatusCode code, string reason)
    {
        using var channel = GrpcChannel.ForAddress(bank.Grpc);
        var client = new RecognitionService.RecognitionServiceClient(channel.WithToken(bank.TokenOf["college"]));
        var huge = Requests.Course(documentNumber: "500228200501011237");
        huge.Course.Grade.Value = new string('9', size);

        var clock = Stopwatch.StartNew();
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.SubmitOutcomeAsync(huge, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: _ct).ResponseAsync);
        var refusedIn = clock.Elapsed;
        clock.Restart();
        var next = await client.SubmitOutcomeAsync(Requests.Course(documentNumber: "500228200501011237"), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: _ct);
        var nextIn = clock.Elapsed;

        Assert.Equal((code, reason), (refused.StatusCode, refused.ErrorInfo()?.Reason));
        Assert.True(refused.Status.Detail.Length < 500, $"The error repeats {refused.Status.Detail.Length} characters.");
        Assert.InRange(refusedIn, TimeSpan.Zero, Prompt);
        Assert.Equal(OutcomeStatus.Recognised, next.Status);
        Assert.InRange(nextIn, TimeSpan.Zero, Prompt);
    }

    [Fact]
    public async Task A_batch_upload_that_stalls_does_not_hold_up_other_calls_on_its_connection()
    {
        using var channel = GrpcChannel.ForAddress(bank.Grpc);
        var batches = new BatchService.BatchServiceClient(channel.WithToken(bank.TokenOf["college"]));
        var reads = new CatalogueService.CatalogueServiceClient(channel.WithToken(bank.TokenOf["admin"]));
        using var upload = batches.UploadBatch(deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: _ct);
        await upload.RequestStream.WriteAsync(new UploadBatchRequest
        {
            Header = new BatchHeader { RequestId = Guid.NewGuid().ToString(), InstitutionCode = "4150012608", DryRun = true },
        }, _ct);

        var times = new List<TimeSpan>();
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            await reads.ListGradingSchemesAsync(new(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: _ct);
            times.Add(clock.Elapsed);
        }

        await upload.RequestStream.CompleteAsync();
        var answer = await upload.ResponseAsync;

        Assert.All(times, t => Assert.InRange(t, TimeSpan.Zero, Prompt));
        Assert.Equal(BatchState.Completed, answer.Batch.State);
    }

    [Fact]
    public async Task A_huge_message_in_a_batch_stream_is_refused_at_once_and_the_connection_goes_on()
    {
        using var channel = GrpcChannel.ForAddress(bank.Grpc, new GrpcChannelOptions { MaxSendMessageSize = null });
        var batches = new BatchService.BatchServiceClient(channel.WithToken(bank.TokenOf["college"]));
        var reads = new CatalogueService.CatalogueServiceClient(channel.WithToken(bank.TokenOf["admin"]));
        var line = new BatchLine { Learner = new Learner { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = "500228200501011237", Name = new string('名', 1_500_000) } };

        var clock = Stopwatch.StartNew();
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var upload = batches.UploadBatch(deadline: DateTime.UtcNow.AddSeconds(20), cancellationToken: _ct);
            await upload.RequestStream.WriteAsync(new UploadBatchRequest { Header = new BatchHeader { RequestId = Guid.NewGuid().ToString(), InstitutionCode = "4150012608", DryRun = true } }, _ct);
            await upload.RequestStream.WriteAsync(new UploadBatchRequest { Line = line }, _ct);
            await upload.RequestStream.CompleteAsync();
            await upload.ResponseAsync;
        });
        var refusedIn = clock.Elapsed;
        clock.Restart();
        await reads.ListGradingSchemesAsync(new(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: _ct);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("REQUEST_TOO_LARGE", refused.ErrorInfo()?.Reason);
        Assert.InRange(refusedIn, TimeSpan.Zero, Prompt * 2);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, Prompt);
    }
}
