using System.Text;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Portal.Bank;
using CreditBank.Portal.Session;
using Grpc.Core;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;

namespace CreditBank.Portal;

/// <summary>
/// The institution staff's endpoints that are not pages: a semester file in (checked, then uploaded) and a batch's
/// problem lines out as CSV. Pages cannot take a file in static rendering; these take it, then send the person on to a page.
/// </summary>
internal static class InstitutionEndpoints
{
    /// <summary>The role of institution staff (教务处): the only people these endpoints and pages serve.</summary>
    public const string Role = "institution";

    public static IEndpointRouteBuilder MapInstitutionEndpoints(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/institution").WithMetadata(PortalEndpoint.Marker)
            .RequireAuthorization(new AuthorizeAttribute(PortalSignIn.Policy) { Roles = Role });

        // The file, as a multipart form post with its antiforgery token: a dry run at once, then the page that shows it.
        staff.MapPost("/batches/check", CheckAsync).DisableAntiforgery();

        // The checked file for real: started in the background, then the page that follows its progress.
        staff.MapPost("/batches/upload", async (HttpContext http, IAntiforgery antiforgery, BatchFiles files, BankCalls bank) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }

            var check = (await http.Request.ReadFormAsync(http.RequestAborted))["check"].ToString();
            return files.Start(Owner(http), check, await bank.TokenAsync())
                ? Results.LocalRedirect($"/institution/uploads/{Uri.EscapeDataString(check)}")
                : Results.LocalRedirect("/institution/upload?problem=expired");
        }).DisableAntiforgery();

        // A batch's lines that were not stored (invalid, then duplicates), one row per problem, for the person to fix and send again.
        staff.MapGet("/batches/{batchId}/problems.csv", async (string batchId, HttpContext http, BankCalls bank) =>
        {
            var me = await bank.AsPersonAsync();
            GetBatchResponse batch;
            try
            {
                batch = await bank.Batches.GetBatchAsync(new GetBatchRequest { BatchId = batchId }, me);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument or StatusCode.PermissionDenied)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "no-store";
            return Results.Stream(async body =>
            {
                await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
                await writer.WriteLineAsync("line_number,result,field,reason,description");
                foreach (var result in new[] { LineResult.Invalid, LineResult.Duplicate })
                {
                    var page = string.Empty;
                    do
                    {
                        var lines = await bank.Batches.ListBatchLinesAsync(new ListBatchLinesRequest
                        {
                            BatchId = batch.Batch.BatchId, Result = result, PageSize = 1000, PageToken = page,
                        }, me);
                        foreach (var line in lines.Lines)
                        {
                            foreach (var (field, reason, description) in ProblemsOf(line))
                            {
                                await writer.WriteLineAsync(string.Join(',', line.LineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
                                    Cell(ResultName(line.Result)), Cell(field), Cell(reason), Cell(description)));
                            }
                        }

                        page = lines.NextPageToken;
                    }
                    while (page.Length > 0);
                }
            }, "text/csv; charset=utf-8", $"batch-{batch.Batch.RequestId}-problems.csv");
        });
        return app;
    }

    private static async Task<IResult> CheckAsync(HttpContext http, IAntiforgery antiforgery, BatchFiles files, BankCalls bank)
    {
        // Refused before a byte is read when the browser says the file is too large; cut off at the limit when it does not say.
        var limit = BatchFiles.MaxFileBytes + 64 * 1024;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        if (http.Request.ContentLength > limit)
        {
            return Results.LocalRedirect("/institution/upload?problem=too-large");
        }

        IFormFile? file;
        string charset;
        try
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }

            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            file = form.Files.GetFile("file");
            charset = form["charset"].ToString() is "gb18030" ? "gb18030" : "utf-8";
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Results.LocalRedirect("/institution/upload?problem=too-large");
        }

        if (file is null || file.Length == 0)
        {
            return Results.LocalRedirect("/institution/upload?problem=no-file");
        }

        if (file.Length > BatchFiles.MaxFileBytes)
        {
            return Results.LocalRedirect("/institution/upload?problem=too-large");
        }

        var content = new byte[file.Length];
        await using (var read = file.OpenReadStream())
        {
            await read.ReadExactlyAsync(content, http.RequestAborted);
        }

        var institution = http.User.FindFirst("institution_code")?.Value ?? string.Empty;
        var checkedFile = await files.CheckAsync(Owner(http), institution, await bank.TokenAsync(), content, charset, http.RequestAborted);
        return Results.LocalRedirect($"/institution/upload?check={Uri.EscapeDataString(checkedFile.RequestId)}");
    }

    /// <summary>Who holds a checked file or an upload: the signed-in person (their subject at the identity service).</summary>
    internal static string Owner(HttpContext http) => http.User.FindFirst("sub")?.Value ?? string.Empty;

    /// <summary>A line's problems: each field violation, or for a duplicate the outcome the bank already holds.</summary>
    internal static IEnumerable<(string Field, string Reason, string Description)> ProblemsOf(BatchLineResult line) =>
        line.Violations.Count > 0
            ? line.Violations.Select(v => (v.Field, v.Reason, v.Description))
            : [(string.Empty, "DUPLICATE", line.OutcomeId)];

    internal static string ResultName(LineResult result) => result switch
    {
        LineResult.Invalid => "INVALID",
        LineResult.Duplicate => "DUPLICATE",
        LineResult.Accepted => "ACCEPTED",
        _ => "UNSPECIFIED",
    };

    /// <summary>One CSV cell (RFC 4180), never a formula when the file is opened in a spreadsheet.</summary>
    private static string Cell(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
