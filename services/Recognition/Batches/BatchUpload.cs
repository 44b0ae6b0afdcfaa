using System.Globalization;
using System.Text;
using System.Text.Json;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Batches;

/// <summary>
/// <c>POST /v1/batches:upload?institution_code=…&amp;request_id=…&amp;dry_run=…&amp;total_lines=…</c>: a batch as a file,
/// <c>text/csv</c> (<see cref="CsvBatchFile"/>) or <c>application/json</c> (<see cref="JsonBatchFile"/>), in UTF-8 or a
/// declared GB18030 (<see cref="BatchFileEncoding"/>). Read as it arrives, so a file of any size up to
/// <see cref="MaxBodyBytes"/> is stored chunk by chunk. Answers as the transcoded routes answer, errors included.
/// </summary>
internal static class BatchUpload
{
    /// <summary>The largest file one upload takes: a million lines of about 250 bytes.</summary>
    public const long MaxBodyBytes = 256L * 1024 * 1024;

    public static IEndpointRouteBuilder MapBatchUpload(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/batches:upload", UploadAsync).RequireAuthorization(Scopes.OutcomesSubmit).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> UploadAsync(HttpRequest http, BatchIngestion ingestion, CancellationToken ct)
    {
        try
        {
            if (http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxBodyBytes;
            }

            if (http.ContentLength > MaxBodyBytes)
            {
                throw Problems.TooLarge("The batch file", http.ContentLength.Value, MaxBodyBytes);
            }

            var header = Header(http.Query);
            var (json, encoding) = BatchFileEncoding.Of(http.ContentType);
            var caller = Caller.Of(http.HttpContext.User);
            if (json)
            {
                await ingestion.StartAsync(header, caller, ct);
                await foreach (var (line, problems) in JsonBatchFile.ReadAsync(http.Body, encoding, ct))
                {
                    await ingestion.AddAsync(line, problems, ct);
                }
            }
            else
            {
                using var file = await CsvBatchFile.OpenAsync(http.Body, encoding, ct);
                await ingestion.StartAsync(header, caller, ct);
                while (await file.NextAsync(ct) is { } next)
                {
                    await ingestion.AddAsync(next.Line, next.Problems, ct);
                }
            }

            return Json(await ingestion.CompleteAsync(ct), StatusCodes.Status200OK);
        }
        catch (RpcException e)
        {
            return Error(e);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Error(Problems.TooLarge("The batch file", http.ContentLength ?? MaxBodyBytes + 1, MaxBodyBytes));
        }
        catch (DecoderFallbackException)
        {
            return Error(BatchFileEncoding.NotInEncoding(new UTF8Encoding(), 1));
        }
        catch (JsonException e)
        {
            return Error(Problems.InvalidArgument("MALFORMED_JSON", $"The batch file is not valid JSON: {CreditBank.Grpc.Validation.Text.Echo(e.Message)}",
                [new() { Field = "body", Reason = "MALFORMED_JSON", Description = "Send a JSON array of BatchLine objects." }]));
        }
    }

    /// <summary>The header from the query string: every parameter a request may carry, each checked.</summary>
    private static V1.BatchHeader Header(IQueryCollection query)
    {
        var violations = new FieldViolations();
        foreach (var key in query.Keys.Where(k => k is not ("institution_code" or "request_id" or "dry_run" or "total_lines")))
        {
            violations.Add(CreditBank.Grpc.Validation.Text.Echo(key), "Not a parameter of the upload: institution_code, request_id, dry_run, total_lines.", "UNKNOWN_FIELD");
        }

        var dry = query["dry_run"].ToString().ToLowerInvariant();
        if (dry is not ("" or "false" or "0" or "true" or "1"))
        {
            violations.Add("dry_run", $"dry_run is true or false; got '{CreditBank.Grpc.Validation.Text.Echo(dry)}'.", "INVALID_FIELD_TYPE");
        }

        long total = 0;
        if (query["total_lines"].ToString() is { Length: > 0 } text && !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out total))
        {
            violations.Add("total_lines", $"total_lines is a whole number of lines; got '{CreditBank.Grpc.Validation.Text.Echo(text)}'.", "INVALID_FIELD_TYPE");
        }

        violations.ThrowIfAny("The batch was not accepted");
        return new V1.BatchHeader
        {
            InstitutionCode = query["institution_code"].ToString(),
            RequestId = query["request_id"].ToString(),
            DryRun = dry is "true" or "1",
            TotalLines = total,
        };
    }

    private static IResult Json(Google.Protobuf.IMessage message, int status) =>
        Results.Text(RestJson.Format(message), "application/json; charset=utf-8", Encoding.UTF8, status);

    private static IResult Error(RpcException e) => e.StatusCode == StatusCode.ResourceExhausted && e.ErrorReason() != "REQUEST_TOO_LARGE"
        ? new RetryLater(Json(Problems.StatusOf(e), StatusCodes.Status429TooManyRequests))
        : Json(Problems.StatusOf(e), e.StatusCode switch
    {
        StatusCode.InvalidArgument when e.ErrorReason() == "UNSUPPORTED_MEDIA_TYPE" => StatusCodes.Status415UnsupportedMediaType,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition => StatusCodes.Status400BadRequest,
        StatusCode.ResourceExhausted when e.ErrorReason() == "REQUEST_TOO_LARGE" => StatusCodes.Status413PayloadTooLarge,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists => StatusCodes.Status409Conflict,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    });

    /// <summary>A 429 with its Retry-After, as every 429 of the bank.</summary>
    private sealed class RetryLater(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = "1";
            return inner.ExecuteAsync(httpContext);
        }
    }
}
