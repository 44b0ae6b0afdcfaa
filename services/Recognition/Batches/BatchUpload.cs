using System.Globalization;
using System.Text;
using System.Text.Json;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Batches;

/// <summary>
/// <c>POST /v1/batches:upload?institution_code=…&amp;request_id=…&amp;dry_run=…&amp;total_lines=…</c>: a batch as a file.
/// <c>text/csv</c> (a header row naming the columns, then one outcome per row; line numbers are the file's) or
/// <c>application/json</c> (an array of BatchLine objects as in the gRPC contract; line numbers count from 1).
/// Read as it arrives, so a file of any size is stored chunk by chunk.
/// </summary>
internal static class BatchUpload
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false)
        .WithTypeRegistry(Google.Protobuf.Reflection.TypeRegistry.FromMessages(ErrorInfo.Descriptor, BadRequest.Descriptor)));

    public static IEndpointRouteBuilder MapBatchUpload(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/batches:upload", UploadAsync).RequireAuthorization(Scopes.OutcomesSubmit).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> UploadAsync(Microsoft.AspNetCore.Http.HttpRequest http, BatchIngestion ingestion, CancellationToken ct)
    {
        try
        {
            var query = http.Query;
            await ingestion.StartAsync(new V1.BatchHeader
            {
                InstitutionCode = query["institution_code"].ToString(),
                RequestId = query["request_id"].ToString(),
                DryRun = bool.TryParse(query["dry_run"], out var dry) && dry,
                TotalLines = long.TryParse(query["total_lines"], out var total) ? total : 0,
            }, Caller.Of(http.HttpContext.User), ct);
            var json = http.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
            if (json)
            {
                await ReadJsonAsync(http.Body, ingestion, ct);
            }
            else
            {
                await ReadCsvAsync(http.Body, ingestion, ct);
            }

            var answer = await ingestion.CompleteAsync(ct);
            return Results.Text(Formatter.Format(answer), "application/json", Encoding.UTF8);
        }
        catch (RpcException e)
        {
            var status = e.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)e.StatusCode, Message = e.Status.Detail };
            var code = e.StatusCode switch
            {
                StatusCode.InvalidArgument or StatusCode.FailedPrecondition => 400,
                StatusCode.NotFound => 404,
                StatusCode.AlreadyExists => 409,
                StatusCode.PermissionDenied => 403,
                _ => 500,
            };
            return Results.Text(Formatter.Format(status), "application/json", Encoding.UTF8, code);
        }
    }

    private static async Task ReadJsonAsync(Stream body, BatchIngestion ingestion, CancellationToken ct)
    {
        long number = 0;
        await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(body, cancellationToken: ct))
        {
            number++;
            V1.BatchLine line;
            IReadOnlyList<V1.LineViolation>? problems = null;
            try
            {
                line = JsonParser.Default.Parse<V1.BatchLine>(element.GetRawText());
            }
            catch (InvalidProtocolBufferException e)
            {
                line = new V1.BatchLine();
                problems = [new V1.LineViolation { Field = "line", Reason = "INVALID_LINE", Description = $"Not a BatchLine: {e.Message}" }];
            }

            line.LineNumber = number;
            await ingestion.AddAsync(line, problems, ct);
        }
    }

    private static async Task ReadCsvAsync(Stream body, BatchIngestion ingestion, CancellationToken ct)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var header = await reader.ReadLineAsync(ct);
        if (header is null)
        {
            return;
        }

        var columns = Csv.Split(header.TrimStart('\uFEFF')).Select((name, index) => (name: name.Trim().ToLowerInvariant(), index))
            .ToDictionary(c => c.name, c => c.index);
        long number = 1;
        while (await reader.ReadLineAsync(ct) is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var cells = Csv.Split(text);
            var (line, problems) = CsvLine.Parse(cells, columns);
            line.LineNumber = number;
            await ingestion.AddAsync(line, problems, ct);
        }
    }
}

/// <summary>RFC 4180 fields of one physical line (quoted fields may hold commas and doubled quotes, not line breaks).</summary>
internal static class Csv
{
    public static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}

/// <summary>
/// One CSV row as a BatchLine. Columns: kind, document_type, document_number, name, course_code, title, credits, hours,
/// term, grade_scheme, grade, certificate_name, level, certificate_number, issue_date, award_rank, informal_type,
/// provider, attachment_sha256 — see README for which kind uses which.
/// </summary>
internal static class CsvLine
{
    public static (V1.BatchLine Line, IReadOnlyList<V1.LineViolation> Problems) Parse(List<string> cells, Dictionary<string, int> columns)
    {
        var problems = new List<V1.LineViolation>();
        string Cell(string name) => columns.TryGetValue(name, out var i) && i < cells.Count ? cells[i].Trim() : string.Empty;

        int Int(string name)
        {
            var text = Cell(name);
            if (text.Length == 0)
            {
                return 0;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            problems.Add(new V1.LineViolation { Field = name, Reason = "INVALID_NUMBER", Description = $"'{text}' is not a whole number." });
            return 0;
        }

        var documentType = Cell("document_type").ToUpperInvariant() switch
        {
            "" or "RESIDENT_ID_CARD" or "居民身份证" => V1.DocumentType.ResidentIdCard,
            "PASSPORT" or "护照" => V1.DocumentType.Passport,
            "HMT_RESIDENCE_PERMIT" or "港澳台居民居住证" => V1.DocumentType.HmtResidencePermit,
            _ => V1.DocumentType.Unspecified,
        };
        var line = new V1.BatchLine
        {
            Learner = new V1.Learner { DocumentType = documentType, DocumentNumber = Cell("document_number"), Name = Cell("name") },
            AttachmentSha256 = Cell("attachment_sha256"),
        };
        var kind = Cell("kind").ToUpperInvariant();
        switch (kind)
        {
            case "" or "COURSE":
                var creditsText = Cell("credits");
                var scheme = Cell("grade_scheme").ToUpperInvariant();
                var builtIn = scheme switch
                {
                    "PERCENTAGE" or "百分制" => V1.GradingScheme.Percentage,
                    "FIVE_LEVEL" or "五级制" => V1.GradingScheme.FiveLevel,
                    "PASS_FAIL" or "合格制" => V1.GradingScheme.PassFail,
                    _ => V1.GradingScheme.Unspecified,
                };
                line.Course = new V1.Course
                {
                    CourseCode = Cell("course_code"),
                    Title = Cell("title"),
                    Credits = double.TryParse(creditsText, NumberStyles.Float, CultureInfo.InvariantCulture, out var credits) ? credits : double.NaN,
                    Hours = Int("hours"),
                    Term = Cell("term"),
                    Grade = new V1.Grade { Scheme = builtIn, SchemeCode = builtIn == V1.GradingScheme.Unspecified ? scheme : string.Empty, Value = Cell("grade") },
                };
                break;
            case "SKILL_CERTIFICATE":
                line.SkillCertificate = new V1.SkillCertificate
                {
                    CertificateName = Cell("certificate_name"),
                    Level = Cell("level") switch
                    {
                        "1" or "初级" or "ELEMENTARY" => V1.SkillLevel.Elementary,
                        "2" or "中级" or "INTERMEDIATE" => V1.SkillLevel.Intermediate,
                        "3" or "高级" or "ADVANCED" => V1.SkillLevel.Advanced,
                        _ => V1.SkillLevel.Unspecified,
                    },
                    CertificateNumber = Cell("certificate_number"),
                    IssueDate = Cell("issue_date"),
                };
                break;
            case "VOCATIONAL_QUALIFICATION":
                // The level column holds the national level: 5 (五级/初级工) … 1 (一级/高级技师).
                var national = Int("level");
                line.VocationalQualification = new V1.VocationalQualification
                {
                    QualificationName = Cell("certificate_name"),
                    Level = national is >= 1 and <= 5 ? (V1.QualificationLevel)(6 - national) : V1.QualificationLevel.Unspecified,
                    CertificateNumber = Cell("certificate_number"),
                    IssueDate = Cell("issue_date"),
                };
                break;
            case "SPECIAL_ABILITY":
                line.SpecialAbility = new V1.SpecialAbility { AbilityName = Cell("certificate_name"), CertificateNumber = Cell("certificate_number"), IssueDate = Cell("issue_date") };
                break;
            case "TRAINING_RECORD":
                line.TrainingRecord = new V1.TrainingRecord { Title = Cell("title"), Hours = Int("hours"), CompletionDate = Cell("issue_date"), CertificateNumber = Cell("certificate_number") };
                break;
            case "COMPETITION_AWARD":
                line.CompetitionAward = new V1.CompetitionAward
                {
                    CompetitionName = Cell("certificate_name"),
                    Level = Enum.TryParse<V1.AwardLevel>(Cell("level"), true, out var level) ? level : V1.AwardLevel.Unspecified,
                    Rank = Enum.TryParse<V1.AwardRank>(Cell("award_rank"), true, out var rank) ? rank : V1.AwardRank.Unspecified,
                    CertificateNumber = Cell("certificate_number"),
                    AwardDate = Cell("issue_date"),
                };
                break;
            case "INFORMAL_OUTCOME":
                line.InformalOutcome = new V1.InformalOutcome
                {
                    Type = Cell("informal_type").ToUpperInvariant() switch
                    {
                        "MOOC" => V1.InformalType.Mooc,
                        "WORK_EXPERIENCE" => V1.InformalType.WorkExperience,
                        "OTHER" => V1.InformalType.Other,
                        _ => V1.InformalType.Unspecified,
                    },
                    Title = Cell("title"),
                    Provider = Cell("provider"),
                    Hours = Int("hours"),
                    CompletionDate = Cell("issue_date"),
                    CertificateNumber = Cell("certificate_number"),
                };
                break;
            default:
                problems.Add(new V1.LineViolation
                {
                    Field = "kind", Reason = "UNKNOWN_OUTCOME_KIND",
                    Description = "kind is one of COURSE, SKILL_CERTIFICATE, VOCATIONAL_QUALIFICATION, SPECIAL_ABILITY, TRAINING_RECORD, COMPETITION_AWARD, INFORMAL_OUTCOME.",
                });
                break;
        }

        return (line, problems);
    }
}
