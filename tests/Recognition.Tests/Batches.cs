using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Recognition.Data;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditBank.Recognition.Tests;

public sealed class Batches(RecognitionHost bank) : IClassFixture<RecognitionHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private BatchService.BatchServiceClient Client => new(bank.Acting);

    [Fact]
    public async Task A_100000_line_batch_with_bad_lines_in_the_middle_completes_and_sending_it_again_adds_nothing()
    {
        const int total = 100_000;
        var run = Guid.NewGuid().ToString("N")[..6];
        var lines = Enumerable.Range(1, total).Select(n => BatchLines.Semester(n, run)).ToList();
        for (var n = 50_001; n <= 50_010; n++)
        {
            lines[n - 1].Learner.DocumentNumber = "500228200501011230"; // wrong check character
        }

        lines[60_000 - 1] = lines[59_990 - 1].Clone(); // the same course twice in one file
        var outcomesBefore = await CountOutcomesAsync();

        var clock = Stopwatch.StartNew();
        var first = await UploadAsync(Guid.NewGuid().ToString(), lines, total);
        var firstTime = clock.Elapsed;
        clock.Restart();
        var again = await UploadAsync(Guid.NewGuid().ToString(), lines, total);
        var againTime = clock.Elapsed;
        TestContext.Current.SendDiagnosticMessage($"100,000-line batch: first {firstTime.TotalSeconds:F1} s, re-sent {againTime.TotalSeconds:F1} s");
        Console.WriteLine($"100,000-line batch: first {firstTime.TotalSeconds:F1} s, re-sent {againTime.TotalSeconds:F1} s");

        Assert.Equal(BatchState.Completed, first.Batch.State);
        Assert.Equal(total, first.Batch.LinesDone);
        Assert.Equal(total - 11, first.Batch.Accepted);
        Assert.Equal(10, first.Batch.Invalid);
        Assert.Equal(1, first.Batch.Duplicates);
        Assert.Equal(Enumerable.Range(50_001, 10).Append(60_000), first.Problems.Select(p => (int)p.LineNumber));
        Assert.All(first.Problems.Take(10), p => Assert.Equal("learner.document_number", Assert.Single(p.Violations).Field));
        Assert.Equal(total - 11, await CountOutcomesAsync() - outcomesBefore);

        Assert.Equal(0, again.Batch.Accepted);
        Assert.Equal(total - 10, again.Batch.Duplicates);
        Assert.Equal(10, again.Batch.Invalid);
        Assert.Equal(total - 11, await CountOutcomesAsync() - outcomesBefore);

        var page = await Client.ListBatchLinesAsync(new() { BatchId = first.Batch.BatchId, InstitutionCode = Requests.TrustedCollege, PageSize = 3, Result = LineResult.Invalid }, cancellationToken: _ct);
        Assert.Equal([50_001L, 50_002L, 50_003L], page.Lines.Select(l => l.LineNumber));
        var next = await Client.ListBatchLinesAsync(new()
        {
            BatchId = first.Batch.BatchId, InstitutionCode = Requests.TrustedCollege, PageSize = 3, Result = LineResult.Invalid, PageToken = page.NextPageToken,
        }, cancellationToken: _ct);
        Assert.Equal(50_004L, next.Lines[0].LineNumber);
        var duplicate = (await Client.ListBatchLinesAsync(new() { BatchId = again.Batch.BatchId, InstitutionCode = Requests.TrustedCollege, PageSize = 1 }, cancellationToken: _ct)).Lines[0];
        var original = (await Client.ListBatchLinesAsync(new() { BatchId = first.Batch.BatchId, InstitutionCode = Requests.TrustedCollege, PageSize = 1 }, cancellationToken: _ct)).Lines[0];
        Assert.Equal(LineResult.Duplicate, duplicate.Result);
        Assert.Equal(original.OutcomeId, duplicate.OutcomeId);
    }

    [Fact]
    public async Task Sending_a_batch_again_with_the_same_request_id_returns_it_and_stores_nothing_new()
    {
        var requestId = Guid.NewGuid().ToString();
        var lines = Enumerable.Range(1, 50).Select(n => BatchLines.Semester(n, requestId[..6])).ToList();

        var first = await UploadAsync(requestId, lines);
        var outcomes = await CountOutcomesAsync();
        var again = await UploadAsync(requestId, lines);

        Assert.Equal(first.Batch.BatchId, again.Batch.BatchId);
        Assert.Equal((first.Batch.State, first.Batch.LinesDone, first.Batch.Accepted), (again.Batch.State, again.Batch.LinesDone, again.Batch.Accepted));
        Assert.Equal(outcomes, await CountOutcomesAsync());
    }

    [Fact]
    public async Task An_interrupted_batch_is_resumed_with_the_same_request_id_and_reports_progress_meanwhile()
    {
        var requestId = Guid.NewGuid().ToString();
        var lines = Enumerable.Range(1, 5000).Select(n => BatchLines.Semester(n, requestId[..6])).ToList();
        using (var cut = CancellationTokenSource.CreateLinkedTokenSource(_ct))
        {
            var call = Client.UploadBatch(cancellationToken: cut.Token);
            await call.RequestStream.WriteAsync(new() { Header = new() { RequestId = requestId, InstitutionCode = Requests.TrustedCollege, TotalLines = 5000 } }, _ct);
            foreach (var line in lines.Take(3000))
            {
                await call.RequestStream.WriteAsync(new() { Line = line }, _ct);
            }

            // The first chunks (500 lines each) are committed while the stream is still open; then the connection drops.
            var progress = await Eventually.Until(() => FindBatchAsync(requestId), b => b?.LinesDone >= 2000, what: "the first chunk to be stored");
            Assert.Equal(BatchState.Receiving, progress!.State);
            Assert.Equal(5000, progress.TotalLines);
            await cut.CancelAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => call.ResponseAsync);
        }

        var resumed = await UploadAsync(requestId, lines, 5000);

        Assert.Equal(BatchState.Completed, resumed.Batch.State);
        Assert.Equal(5000, resumed.Batch.LinesDone);
        Assert.Equal(5000, resumed.Batch.Accepted);
        Assert.Equal(0, resumed.Batch.Duplicates);
    }

    [Fact]
    public async Task A_dry_run_reports_every_problem_and_stores_nothing()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var lines = Enumerable.Range(1, 30).Select(n => BatchLines.Semester(n, run)).ToList();
        lines[4].Course.Credits = 40;
        lines[9] = lines[8].Clone();
        var outcomes = await CountOutcomesAsync();

        var answer = await UploadAsync(Guid.NewGuid().ToString(), lines, dryRun: true);

        Assert.True(answer.Batch.DryRun);
        Assert.Equal("", answer.Batch.BatchId);
        Assert.Equal(28, answer.Batch.Accepted);
        Assert.Equal([5L, 10L], answer.Problems.Select(p => p.LineNumber));
        Assert.Equal("course.credits", answer.Problems[0].Violations[0].Field);
        Assert.Equal(LineResult.Duplicate, answer.Problems[1].Result);
        Assert.Equal(outcomes, await CountOutcomesAsync());
    }

    [Fact]
    public async Task A_csv_file_is_uploaded_over_rest_with_results_by_file_line_number()
    {
        var number = Requests.ResidentId(401);
        var csv = new StringBuilder("kind,document_number,name,course_code,title,credits,hours,term,grade_scheme,grade,certificate_name,level,certificate_number,issue_date\n")
            .Append($"COURSE,{number},张三,CS201,计算机网络,3,48,2025-2026-2,FIVE_LEVEL,优,,,,\n")
            .Append($"COURSE,{number},张三,CS202,\"数据库, 原理\",abc,48,2025-2026-2,PERCENTAGE,90,,,,\n")
            .Append($"SKILL_CERTIFICATE,{number},张三,,,,,,,,Web 前端开发职业技能等级证书,初级,CSV-WEB-{Requests.Serial()},2025-06-30\n")
            .Append($"COURSE,{number},张三,CS201,计算机 网络,3,48,2025-2026-2,FIVE_LEVEL,优,,,,\n")
            .ToString();
        var requestId = Guid.NewGuid();

        var response = await bank.Host.Rest.PostAsync($"/v1/batches:upload?institution_code={Requests.TrustedCollege}&request_id={requestId}",
            new StringContent(csv, Encoding.UTF8, "text/csv"), _ct);
        var body = await response.Content.ReadAsStringAsync(_ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(body).RootElement;
        // 64-bit counts are JSON numbers, as every transcoded route writes them (GET /v1/batches/{id} included).
        Assert.Equal(2, answer.GetProperty("batch").GetProperty("accepted").GetInt64());
        var problems = answer.GetProperty("problems").EnumerateArray().ToList();
        Assert.Equal(3, problems[0].GetProperty("lineNumber").GetInt64());
        Assert.Equal("course.credits", problems[0].GetProperty("violations")[0].GetProperty("field").GetString());
        Assert.Equal(5, problems[1].GetProperty("lineNumber").GetInt64());
        Assert.Equal("LINE_RESULT_DUPLICATE", problems[1].GetProperty("result").GetString());
    }

    [Fact]
    public async Task An_upload_under_another_institutions_code_is_forbidden()
    {
        var response = await bank.Host.Rest.PostAsync($"/v1/batches:upload?institution_code={Requests.TrustedAssessor}&request_id=x",
            new StringContent("[]", Encoding.UTF8, "application/json"), _ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_json_upload_from_an_unknown_institution_is_a_400_naming_the_field()
    {
        // The institution has a client at the identity service but is not in recognition's registry.
        var response = await bank.Host.Rest.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/v1/batches:upload?institution_code={RecognitionHost.UnregisteredInstitution}&request_id=x")
        {
            Content = new StringContent("[]", Encoding.UTF8, "application/json"),
        }.WithToken(bank.Callers.TokenOf(RecognitionHost.UnregisteredInstitution)), _ct);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct)).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(body.GetProperty("details").EnumerateArray(), d => d.GetProperty("@type").GetString()!.EndsWith("BadRequest")
            && d.GetProperty("fieldViolations")[0].GetProperty("field").GetString() == "header.institution_code");
    }

    [Fact]
    public async Task Another_institution_cannot_see_a_batch()
    {
        var answer = await UploadAsync(Guid.NewGuid().ToString(), [BatchLines.Semester(1, Guid.NewGuid().ToString("N")[..6])]);

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            Client.GetBatchAsync(new() { BatchId = answer.Batch.BatchId, InstitutionCode = Requests.TrustedAssessor }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        Assert.Equal("BATCH_NOT_FOUND", refused.ErrorInfo()?.Reason);
    }

    private async Task<UploadBatchResponse> UploadAsync(string requestId, IReadOnlyList<BatchLine> lines, long total = 0, bool dryRun = false)
    {
        var call = Client.UploadBatch(cancellationToken: _ct);
        await call.RequestStream.WriteAsync(new() { Header = new() { RequestId = requestId, InstitutionCode = Requests.TrustedCollege, TotalLines = total, DryRun = dryRun } }, _ct);
        foreach (var line in lines)
        {
            await call.RequestStream.WriteAsync(new() { Line = line }, _ct);
        }

        await call.RequestStream.CompleteAsync();
        return await call;
    }

    private async Task<Batch?> FindBatchAsync(string requestId)
    {
        await using var scope = bank.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecognitionDb>();
        var id = await db.Batches.Where(b => b.RequestId == requestId).Select(b => (Guid?)b.Id).FirstOrDefaultAsync(_ct);
        return id is null ? null : (await Client.GetBatchAsync(new() { BatchId = id.ToString(), InstitutionCode = Requests.TrustedCollege }, cancellationToken: _ct)).Batch;
    }

    private async Task<int> CountOutcomesAsync()
    {
        await using var scope = bank.Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RecognitionDb>().Outcomes.CountAsync(_ct);
    }
}
