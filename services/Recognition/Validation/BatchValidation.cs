using CreditBank.Grpc;
using CreditBank.Recognition.Domain;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Validation;

/// <summary>The rules of a batch as a whole: its header and how many lines it may have.</summary>
internal static class BatchValidation
{
    /// <summary>The most lines one batch holds (a city's semester is split into batches of 10k–100k lines).</summary>
    public const long MaxLines = 1_000_000;

    public sealed record Header(string RequestId, Institution Institution, bool DryRun, long TotalLines);

    public static Header? Check(V1.BatchHeader? header, CatalogueSnapshot catalogue, FieldViolations violations)
    {
        if (header is null)
        {
            violations.Add("header", "Send the batch header (request_id, institution_code) as the first message.", "REQUIRED_FIELD");
            return null;
        }

        var requestId = violations.Text("header.request_id", header.RequestId, SubmitOutcomeValidation.RequestIdLength,
            "request_id (a client-chosen id for this batch, e.g. a UUID)");
        var institution = SubmitOutcomeValidation.CheckInstitution(header.InstitutionCode, catalogue, violations, "header.institution_code");
        violations.Whole("header.total_lines", header.TotalLines, 0, MaxLines,
            "total_lines (0 when unknown, else the number of lines)", "INVALID_LINE_COUNT");
        return violations.Any ? null : new Header(requestId, institution!, header.DryRun, header.TotalLines);
    }

    /// <summary>A line beyond <see cref="MaxLines"/> stops the batch: the lines before it stay.</summary>
    public static void CheckLineNumber(long number)
    {
        if (number > MaxLines)
        {
            throw Problems.InvalidArgument("TOO_MANY_LINES", $"A batch holds at most {MaxLines:N0} lines; line {number} is one too many. Send the rest as another batch.",
                [new() { Field = "line.line_number", Reason = "TOO_MANY_LINES", Description = $"Split the file into batches of at most {MaxLines:N0} lines." }]);
        }
    }
}
