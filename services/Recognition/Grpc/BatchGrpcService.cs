using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using Microsoft.AspNetCore.Authorization;
using CreditBank.Recognition.Batches;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Validation;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Grpc;

/// <summary>creditbank.recognition.v1.BatchService: a semester's outcomes in one stream, its progress and its line results.</summary>
[Authorize(Policy = Scopes.OutcomesSubmit)]
internal sealed class BatchGrpcService(BatchIngestion ingestion, RecognitionDb db) : V1.BatchService.BatchServiceBase
{
    public override async Task<V1.UploadBatchResponse> UploadBatch(IAsyncStreamReader<V1.UploadBatchRequest> requestStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var started = false;
        await foreach (var message in requestStream.ReadAllAsync(ct))
        {
            if (!started)
            {
                await ingestion.StartAsync(message.Header, Caller.From(context), ct);
                started = true;
                continue;
            }

            if (message.ItemCase != V1.UploadBatchRequest.ItemOneofCase.Line)
            {
                throw Problems.InvalidArgument("HEADER_REPEATED", "Only the first message is a header; every other one is a line.",
                    [new() { Field = "header", Reason = "HEADER_REPEATED", Description = "Send the header once, first." }]);
            }

            await ingestion.AddAsync(message.Line, null, ct);
        }

        if (!started)
        {
            await ingestion.StartAsync(null, Caller.From(context), ct);
        }

        return await ingestion.CompleteAsync(ct);
    }

    public override async Task<V1.GetBatchResponse> GetBatch(V1.GetBatchRequest request, ServerCallContext context)
    {
        var batch = await FindAsync(request.BatchId, Caller.From(context), context.CancellationToken);
        return new V1.GetBatchResponse { Batch = BatchMapping.ToContract(batch) };
    }

    public override async Task<V1.ListBatchLinesResponse> ListBatchLines(V1.ListBatchLinesRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var batch = await FindAsync(request.BatchId, Caller.From(context), ct);
        var size = PageToken.Size(request.PageSize);
        var scope = $"batch:{batch.Id:N}:{(int)request.Result}";
        var after = PageToken.Decode(request.PageToken, scope);
        var query = db.BatchLines.AsNoTracking().Where(l => l.BatchId == batch.Id && l.LineNumber > after);
        if (request.Result != V1.LineResult.Unspecified)
        {
            var result = (Domain.LineResult)(int)request.Result;
            query = query.Where(l => l.Result == result);
        }

        var lines = await query.OrderBy(l => l.LineNumber).Take(size + 1).ToListAsync(ct);
        return new V1.ListBatchLinesResponse
        {
            Lines = { lines.Take(size).Select(BatchMapping.ToContract) },
            NextPageToken = lines.Count > size ? PageToken.Encode(scope, lines[size - 1].LineNumber) : string.Empty,
        };
    }

    /// <remarks>Newest first; another institution's code answers as an unknown one does.</remarks>
    public override async Task<V1.ListBatchesResponse> ListBatches(V1.ListBatchesRequest request, ServerCallContext context)
    {
        var code = request.InstitutionCode.Trim();
        if (code != Caller.From(context).InstitutionCode)
        {
            throw Problems.NotFound("INSTITUTION_NOT_FOUND", $"No institution '{SubmitOutcomeValidation.Shorten(code)}' is registered.");
        }

        var size = PageToken.Size(request.PageSize);
        var scope = "batches:" + code;
        var (until, served) = NewestFirst.Start(request.PageToken, scope);
        var query = db.Batches.AsNoTracking().Where(b => b.InstitutionCode == code);
        if (until is { } u)
        {
            query = query.Where(b => b.CreatedAt <= u);
        }

        var batches = await query.OrderByDescending(b => b.CreatedAt).ThenBy(b => b.Id).Skip(served).Take(size + 1).ToListAsync(context.CancellationToken);
        return new V1.ListBatchesResponse
        {
            Batches = { batches.Take(size).Select(b => BatchMapping.ToContract(b)) },
            NextPageToken = NewestFirst.Next(batches, size, b => b.CreatedAt, scope, until, served),
        };
    }

    /// <remarks>The institution is the caller's; the request's <c>institution_code</c> is no longer needed.</remarks>
    private async Task<Domain.Batch> FindAsync(string batchId, Caller caller, CancellationToken ct)
    {
        if (!Guid.TryParse(batchId, out var id))
        {
            throw Problems.InvalidArgument("INVALID_BATCH_ID", "batch_id is not a batch id.",
                [new() { Field = "batch_id", Reason = "INVALID_BATCH_ID", Description = "Use the batch_id UploadBatch returned (a UUID)." }]);
        }

        var code = caller.InstitutionCode ?? string.Empty;
        // Only the submitting institution sees its batch; to anyone else it does not exist.
        return await db.Batches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id && b.InstitutionCode == code, ct)
            ?? throw Problems.NotFound("BATCH_NOT_FOUND", $"No batch {id} exists for institution '{SubmitOutcomeValidation.Shorten(code)}'.");
    }
}
