using System.Text;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Contracts.Type.V1;
using CreditBank.Grpc.Validation;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Accounts = CreditBank.Contracts.Accounts.V1;
using Conversion = CreditBank.Contracts.Conversion.V1;
using Credentials = CreditBank.Contracts.Credentials.V1;

namespace CreditBank.Hardening.Tests;

/// <summary>
/// The bad-input corpus: generated cases for every write RPC and REST route (and the reads' parameters), sent to the
/// standalone host over gRPC and over REST. No answer may be a 5xx, INTERNAL or UNKNOWN; every INVALID_ARGUMENT names
/// at least one field; every reason is one docs/errors.md lists; nothing takes more than 2 s; and afterwards nothing
/// malformed is found in what the bank holds.
/// </summary>
[Collection(OneStandaloneBank.Name)]
public sealed class Corpus(StandaloneBank bank)
{
    /// <summary>
    /// An answer this late is a request the bank got stuck on (a stalled read, a lock never released), not a slow one:
    /// generous, because a loaded 2-core CI machine answers some ordinary requests in 3–4 s. Speed is make bench's.
    /// </summary>
    private static readonly TimeSpan Slowest = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_thousand_malformed_requests_over_rest_and_grpc_get_clear_answers_and_store_nothing_malformed()
    {
        var exchange = new Exchange(bank);
        var answers = new List<Answer>();
        foreach (var (name, method, request, token) in Cases.All())
        {
            var key = bank.TokenOf[token];
            answers.Add(await exchange.GrpcAsync(name, method, request.ToByteArray(), key));
            // Lone surrogates cannot be written as JSON by protobuf's formatter: REST sends them as \ud800 escapes (RestOnly).
            if (!name.Contains("lone surrogate", StringComparison.Ordinal))
            {
                answers.Add(await exchange.RestAsync(name, method, request, key));
            }
        }

        foreach (var (name, method, bytes, token) in Cases.NotUtf8())
        {
            answers.Add(await exchange.GrpcAsync(name, method, bytes, bank.TokenOf[token]));
        }

        foreach (var (name, method, request, token, body, contentType, query) in Cases.RestOnly())
        {
            answers.Add(await exchange.RestAsync(name, method, request, bank.TokenOf[token], body, contentType, query));
        }

        foreach (var (name, bytes) in Cases.Streams())
        {
            answers.Add(await exchange.GrpcAsync(name, BatchService.Descriptor.FindMethodByName("UploadBatch"), bytes, bank.TokenOf["college"]));
        }

        foreach (var (name, build) in Cases.Uploads(bank.Rest))
        {
            using var message = build();
            message.Headers.Authorization = new("Bearer", bank.TokenOf["college"]);
            try
            {
                answers.Add(await exchange.SendAsync(name, message));
            }
            catch (HttpRequestException e) when (e.InnerException is IOException)
            {
                // A file over the limit: the bank answers 413 and closes the connection while the client is still writing
                // the body, and whether the client reads the 413 or meets the closed socket first is timing. Counted as
                // the HTTP server's refusal; Defects.cs checks the 413 and its reason on its own.
                answers.Add(new Answer("rest", name, 413, StatusCode.OK, null, 0, [], TimeSpan.Zero, string.Empty));
            }
        }

        var listed = ErrorReasons.Listed();
        var wrong = answers.Where(a => !RefusedByTheHttpServer(a)).Where(a =>
                a.HttpStatus >= 500 || a.Code is StatusCode.Internal or StatusCode.Unknown or StatusCode.Unimplemented or StatusCode.DataLoss
                || (a.Code == StatusCode.InvalidArgument && (a.Violations == 0 || a.Reason is null))
                || (a.Code != StatusCode.OK && a.Code != StatusCode.Unauthenticated && a.Reason is null)
                || (a.Reason is not null && !listed.Contains(a.Reason)) || a.ViolationReasons.Any(r => !listed.Contains(r))
                || a.Took > Slowest)
            .ToList();

        Assert.True(answers.Count >= 1000, $"The corpus has {answers.Count} answers; it should have at least 1,000.");
        var kinds = wrong.GroupBy(a => $"{a.Transport} {a.Case.Split(" = ")[0]}").Select(g => $"{g.Count()} × {g.First()}");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {answers.Count} answers are wrong:\n{string.Join('\n', kinds.Take(60))}");
        Assert.Contains(answers, a => a.Code == StatusCode.OK);
        Assert.Contains(answers, a => a.Reason == "INVALID_TEXT");
        Assert.Contains(answers, a => a.Reason == "INVALID_ENCODING");
        Assert.Contains(answers, a => a.Reason == "MALFORMED_JSON");
        await new StoredData(bank).AssertNothingMalformedAsync(Cases.Documents);
    }

    /// <summary>
    /// A request line Kestrel itself refuses (a NUL in the path: 400; a URL over 8 KB: 414; headers over 32 KB: 431) is
    /// answered with an empty body before the bank sees it: an HTTP protocol error, not an answer of the bank's API.
    /// </summary>
    private static bool RefusedByTheHttpServer(Answer answer) =>
        answer.Transport == "rest" && answer.HttpStatus is 400 or 413 or 414 or 431 && answer.Detail.Length == 0;
}

/// <summary>The cases, generated from valid requests by replacing one field at a time with a bad value.</summary>
internal static class Cases
{
    public static readonly string[] Documents = ["500228200501011237", "510104199903150029", "500103200107150025"];

    /// <summary>Text no field may hold, or must hold only normalised: controls, surrogates, 乱码, too long, blank, NFD, emoji.</summary>
    private static readonly (string Label, string Value)[] BadText =
    [
        ("NUL", "a\u0000b"), ("BEL", "\u0007"), ("lone surrogate", "x\ud800y"), ("replacement character", "\uFFFD乱码"),
        ("5,000 characters", new string('长', 5000)), ("60 KB", new string('x', 60_000)), ("blank", "   "),
        ("NFD", "e\u0301cole\u0301"), ("bidi override", "\u202Eevil"), ("emoji", "😀🎓"), ("line break", "第一行\n第二行"),
    ];

    private static readonly (string Label, double Value)[] BadAmounts =
        [("NaN", double.NaN), ("+Inf", double.PositiveInfinity), ("-Inf", double.NegativeInfinity), ("1e308", 1e308), ("-1", -1), ("0", 0), ("1e-9", 1e-9), ("31", 31)];

    private static readonly (string Label, int Value)[] BadWholes = [("-1", -1), ("int.MaxValue", int.MaxValue), ("int.MinValue", int.MinValue)];

    private static readonly (string Label, int Value)[] BadEnums = [("-1", -1), ("99", 99), ("int.MaxValue", int.MaxValue)];

    private static readonly string[] BadDates = ["0001-01-01", "2099-01-01", "1899-12-31", "2025-02-30", "2025/01/01", "20250101"];

    private static readonly string[] BadTerms = ["😀🎓", "2026-2025-1", "2025-2026-4", "2025-2026", "1900-1901-1"];

    private static string Resident(string first17) => first17 + CreditBank.PersonalData.IdentityDocument.CheckCharacter(first17);

    private static readonly string[] BadDocuments =
    [
        Resident("50022820990101123"), Resident("50022818000101123"), Resident("00000020050101123"), Resident("99022820050101123"),
        "500228200501011230", "50022820050101123", "ABC!@#$%^", Resident("11022820050101123") + "X",
    ];

    private static MethodDescriptor Method(ServiceDescriptor service, string name) => service.FindMethodByName(name);

    /// <summary>Every request, its method and who sends it.</summary>
    public static IEnumerable<(string Name, MethodDescriptor Method, IMessage Request, string Token)> All()
    {
        var submit = Method(RecognitionService.Descriptor, "SubmitOutcome");
        foreach (var (kind, request) in Submissions())
        {
            foreach (var (path, field) in Leaves(SubmitOutcomeRequest.Descriptor, string.Empty, request))
            {
                foreach (var (label, value) in ValuesFor(path, field))
                {
                    var copy = request.Clone();
                    copy.RequestId = Guid.NewGuid().ToString();
                    if (Set(copy, path, value))
                    {
                        yield return ($"SubmitOutcome {kind} {path} = {label}", submit, copy, "college");
                    }
                }
            }
        }

        var others = new (string Rpc, MethodDescriptor Method, IMessage Base, string Token)[]
        {
            ("RevokeOutcome", Method(RecognitionService.Descriptor, "RevokeOutcome"),
                new RevokeOutcomeRequest { OutcomeId = Guid.NewGuid().ToString(), Reason = RevocationReason.CertificateWithdrawn, Comment = "证书被撤销" }, "college"),
            ("GetOutcome", Method(RecognitionService.Descriptor, "GetOutcome"), new GetOutcomeRequest { OutcomeId = Guid.NewGuid().ToString() }, "admin"),
            ("ListLearnerOutcomes", Method(RecognitionService.Descriptor, "ListLearnerOutcomes"),
                new ListLearnerOutcomesRequest { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = Documents[0], PageSize = 10 }, "admin"),
            ("ClaimReviewTask", Method(ReviewService.Descriptor, "ClaimReviewTask"),
                new ClaimReviewTaskRequest { WorkstationCode = "WS-LIANGPING", OutcomeId = Guid.NewGuid().ToString() }, "admin"),
            ("RecogniseOutcome", Method(ReviewService.Descriptor, "RecogniseOutcome"),
                new RecogniseOutcomeRequest { WorkstationCode = "WS-LIANGPING", OutcomeId = Guid.NewGuid().ToString(), UnitCode = "GEN-TRAINING", Credits = 1, Comment = "已核验" }, "admin"),
            ("RejectOutcome", Method(ReviewService.Descriptor, "RejectOutcome"),
                new RejectOutcomeRequest { WorkstationCode = "WS-LIANGPING", OutcomeId = Guid.NewGuid().ToString(), Reason = RejectionReason.NotVerifiable, Comment = "查无此证" }, "admin"),
            ("ListReviewTasks", Method(ReviewService.Descriptor, "ListReviewTasks"), new ListReviewTasksRequest { WorkstationCode = "WS-LIANGPING", PageSize = 5 }, "admin"),
            ("SaveInstitution", Method(CatalogueService.Descriptor, "SaveInstitution"), new SaveInstitutionRequest
            {
                Institution = new Institution { Code = "4150099999", Name = "语料测试学院", Kind = "高职专科", Region = "渝", TrustLevel = TrustLevel.Untrusted },
            }, "admin"),
            ("SaveAccreditationUnit", Method(CatalogueService.Descriptor, "SaveAccreditationUnit"), new SaveAccreditationUnitRequest
            {
                Unit = new AccreditationUnit
                {
                    Code = "CORPUS-UNIT-1", Kind = OutcomeKind.TrainingRecord, Name = "语料测试单元", Level = 0, FrameworkLevel = 4, Credits = 2, MinCredits = 1,
                    MaxCredits = 4, Criteria = "完成培训并考核合格",
                },
            }, "admin"),
            ("ListAccreditationUnits", Method(CatalogueService.Descriptor, "ListAccreditationUnits"),
                new ListAccreditationUnitsRequest { Kind = OutcomeKind.SkillCertificate, PageSize = 5 }, "admin"),
            ("ListInstitutions", Method(CatalogueService.Descriptor, "ListInstitutions"), new ListInstitutionsRequest { Kind = "高职专科", PageSize = 5 }, "admin"),
            ("GetBatch", Method(BatchService.Descriptor, "GetBatch"), new GetBatchRequest { BatchId = Guid.NewGuid().ToString() }, "college"),
            ("ListBatchLines", Method(BatchService.Descriptor, "ListBatchLines"),
                new ListBatchLinesRequest { BatchId = Guid.NewGuid().ToString(), Result = LineResult.Invalid, PageSize = 10 }, "college"),
            ("ClaimAccount", Method(Accounts.AccountsService.Descriptor, "ClaimAccount"),
                new Accounts.ClaimAccountRequest { DocumentType = Accounts.DocumentType.ResidentIdCard, DocumentNumber = Documents[0] }, "zhangsan"),
            ("LookupAccount", Method(Accounts.AccountsService.Descriptor, "LookupAccount"),
                new Accounts.LookupAccountRequest { DocumentType = Accounts.DocumentType.ResidentIdCard, DocumentNumber = Documents[1] }, "admin"),
            ("GetAccount", Method(Accounts.AccountsService.Descriptor, "GetAccount"), new Accounts.GetAccountRequest { AccountId = Guid.NewGuid().ToString() }, "admin"),
            ("ListLedgerEntries", Method(Accounts.AccountsService.Descriptor, "ListLedgerEntries"),
                new Accounts.ListLedgerEntriesRequest { AccountId = Guid.NewGuid().ToString(), PageSize = 5 }, "admin"),
            ("ImportRules", Method(Conversion.ConversionService.Descriptor, "ImportRules"),
                new Conversion.ImportRulesRequest { ProgrammeCode = "CQU-SE-2025", Format = Conversion.RuleFileFormat.Json, Content = "[]", DryRun = true }, "university"),
            ("ExportRules", Method(Conversion.ConversionService.Descriptor, "ExportRules"),
                new Conversion.ExportRulesRequest { ProgrammeCode = "CQU-SE-2025", Format = Conversion.RuleFileFormat.Csv }, "university"),
            ("EvaluateConversion", Method(Conversion.ConversionService.Descriptor, "EvaluateConversion"),
                new Conversion.EvaluateConversionRequest { ProgrammeCode = "CQU-SE-2025" }, "zhangsan"),
            ("ApplyForConversion", Method(Conversion.ConversionService.Descriptor, "ApplyForConversion"),
                new Conversion.ApplyForConversionRequest { RequestId = "corpus-apply", ProgrammeCode = "CQU-SE-2025" }, "zhangsan"),
            ("DecideConversion", Method(Conversion.ConversionService.Descriptor, "DecideConversion"), new Conversion.DecideConversionRequest
            {
                ApplicationId = Guid.NewGuid().ToString(), Decisions = { new Conversion.ItemDecisionInput { ItemNumber = 1, Accept = false, Reason = "需补考" } },
            }, "university"),
            ("GetApplication", Method(Conversion.ConversionService.Descriptor, "GetApplication"), new Conversion.GetApplicationRequest { ApplicationId = Guid.NewGuid().ToString() }, "admin"),
            ("IssueOutcomeCredential", Method(Credentials.CredentialsService.Descriptor, "IssueOutcomeCredential"),
                new Credentials.IssueOutcomeCredentialRequest { OutcomeId = Guid.NewGuid().ToString() }, "zhangsan"),
            ("GetCredential", Method(Credentials.CredentialsService.Descriptor, "GetCredential"),
                new Credentials.GetCredentialRequest { CredentialId = $"urn:uuid:{Guid.NewGuid()}" }, "admin"),
            ("DownloadCredential", Method(Credentials.CredentialsService.Descriptor, "DownloadCredential"),
                new Credentials.DownloadCredentialRequest { CredentialId = Guid.NewGuid().ToString() }, "admin"),
            ("VerifyCredential(jwt)", Method(Credentials.CredentialsService.Descriptor, "VerifyCredential"),
                new Credentials.VerifyCredentialRequest { Jwt = "eyJhbGciOiJFUzI1NiJ9.e30.c2ln" }, "zhangsan"),
            ("VerifyCredential(id)", Method(Credentials.CredentialsService.Descriptor, "VerifyCredential"),
                new Credentials.VerifyCredentialRequest { CredentialId = $"urn:uuid:{Guid.NewGuid()}" }, "zhangsan"),
            ("GetOutcomeDecisions", Method(Credentials.CredentialsService.Descriptor, "GetOutcomeDecisions"),
                new Credentials.GetOutcomeDecisionsRequest { OutcomeId = Guid.NewGuid().ToString() }, "admin"),
            ("GetConversionDecision", Method(Credentials.CredentialsService.Descriptor, "GetConversionDecision"),
                new Credentials.GetConversionDecisionRequest { ApplicationId = Guid.NewGuid().ToString() }, "admin"),
        };
        foreach (var (rpc, method, request, token) in others)
        {
            foreach (var (path, field) in Leaves(request.Descriptor, string.Empty, request))
            {
                foreach (var (label, value) in ValuesFor(path, field))
                {
                    var copy = Copy(request);
                    if (Set(copy, path, value))
                    {
                        yield return ($"{rpc} {path} = {label}", method, copy, token);
                    }
                }
            }
        }
    }

    /// <summary>Every string field of every write request carrying bytes that are not UTF-8 (which no C# client sends).</summary>
    public static IEnumerable<(string Name, MethodDescriptor Method, byte[] Bytes, string Token)> NotUtf8()
    {
        const string marker = "QZXQZX";
        byte[][] bad = [[0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80], [0xC0, 0xAF, 0xFF, 0xFE, 0x41, 0x41], [0xD5, 0xC5, 0xC8, 0xFD, 0x41, 0x41]];
        var submit = Method(RecognitionService.Descriptor, "SubmitOutcome");
        var cases = Submissions().Select(s => ($"SubmitOutcome {s.Kind}", submit, (IMessage)s.Request, "college")).Concat(
        [
            ("SaveInstitution", Method(CatalogueService.Descriptor, "SaveInstitution"), new SaveInstitutionRequest
            {
                Institution = new Institution { Code = "4150099998", Name = "x", Kind = "高职专科", Region = "渝", TrustLevel = TrustLevel.Untrusted },
            }, "admin"),
            ("RejectOutcome", Method(ReviewService.Descriptor, "RejectOutcome"),
                new RejectOutcomeRequest { WorkstationCode = "WS-LIANGPING", OutcomeId = Guid.NewGuid().ToString(), Reason = RejectionReason.NotVerifiable, Comment = "x" }, "admin"),
            ("ImportRules", Method(Conversion.ConversionService.Descriptor, "ImportRules"),
                new Conversion.ImportRulesRequest { ProgrammeCode = "CQU-SE-2025", Format = Conversion.RuleFileFormat.Json, Content = "[]", DryRun = true }, "university"),
        ]);
        foreach (var (name, method, request, token) in cases)
        {
            foreach (var (path, field) in Leaves(request.Descriptor, string.Empty, request).Where(l => l.Field.FieldType == FieldType.String))
            {
                var copy = Copy(request);
                Set(copy, path, marker);
                var bytes = copy.ToByteArray();
                var at = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(marker));
                foreach (var (replacement, index) in bad.Select((b, i) => (b, i)))
                {
                    var changed = (byte[])bytes.Clone();
                    replacement.CopyTo(changed, at);
                    yield return ($"{name} {path} = not UTF-8 #{index + 1}", method, changed, token);
                }
            }
        }
    }

    /// <summary>What only REST can send: bodies that are not JSON, of the wrong shape or type, and query strings.</summary>
    public static IEnumerable<(string Name, MethodDescriptor Method, IMessage Request, string Token, string? Body, string? ContentType, string? Query)> RestOnly()
    {
        var submit = Method(RecognitionService.Descriptor, "SubmitOutcome");
        var valid = Submissions().First().Request;
        var json = JsonFormatter.Default.Format(valid);
        string[] bodies =
        [
            "", "{", "}", "[]", "null", "\"text\"", "42", json + "garbage", json[..(json.Length / 2)], "{\"requestId\":\"a\",}", "{'requestId':'a'}",
            new string('[', 100) + new string(']', 100), "{\"learner\":" + string.Concat(Enumerable.Repeat("{\"name\":", 70)) + "1" + new string('}', 71),
            "{\"requestId\":\"\\ud800\"}", "{\"requestId\":\"a\\u0000b\"}", json.Replace("\"course\"", "\"course\":{},\"skillCertificate\""),
            "{\"unknownField\":1}", "{\"requestID\":\"a\"}", "{\"course\":{\"credits\":\"three\"}}", "{\"course\":{\"credits\":true}}",
            "{\"course\":{\"hours\":1.5}}", "{\"course\":{\"hours\":99999999999}}", "{\"course\":{\"hours\":\"48\"}}", "{\"course\":{\"credits\":1e400}}",
            "{\"learner\":\"张三\"}", "{\"learner\":[1,2]}", "{\"learner\":{\"documentType\":\"DOCUMENT_TYPE_ID\"}}", "{\"learner\":{\"documentType\":1.5}}",
            "{\"course\":{\"grade\":{\"scheme\":\"A_PLUS\"}}}", "{\"requestId\":123}", "{\"requestId\":{}}", "{\"requestId\":[\"a\"]}",
            "{\"attachmentSha256\":false}", new string(' ', 70_000) + json,
        ];
        foreach (var (body, i) in bodies.Select((b, i) => (b, i)))
        {
            yield return ($"POST /v1/outcomes body #{i + 1}", submit, valid, "college", body, "application/json", null);
        }

        foreach (var contentType in new string?[] { null, "text/plain", "application/xml", "application/json; charset=latin1", "application/json; charset=nonsense", "multipart/form-data" })
        {
            yield return ($"POST /v1/outcomes content-type {contentType ?? "(none)"}", submit, valid, "college", json, contentType, null);
        }

        var lists = new (string Name, MethodDescriptor Method, IMessage Request, string Token)[]
        {
            ("ListAccreditationUnits", Method(CatalogueService.Descriptor, "ListAccreditationUnits"), new ListAccreditationUnitsRequest(), "admin"),
            ("ListLearnerOutcomes", Method(RecognitionService.Descriptor, "ListLearnerOutcomes"), new ListLearnerOutcomesRequest(), "admin"),
            ("ListInstitutions", Method(CatalogueService.Descriptor, "ListInstitutions"), new ListInstitutionsRequest(), "admin"),
            ("LookupAccount", Method(Accounts.AccountsService.Descriptor, "LookupAccount"), new Accounts.LookupAccountRequest(), "admin"),
            ("ExportRules", Method(Conversion.ConversionService.Descriptor, "ExportRules"), new Conversion.ExportRulesRequest { ProgrammeCode = "CQU-SE-2025" }, "university"),
        };
        string[] queries =
        [
            "kind=", "kind=FOO", "kind=-1", "kind=99", "page_size=abc", "page_size=99999999999", "page_size=-1", "pageSize=1.5", "page_token=%00",
            "page_token=not-a-token", "document_type=BAD", "document_type=DOCUMENT_TYPE_RESIDENT_ID_CARD&document_number=500228200501011230",
            "document_type=1&document_number=" + Documents[0], "unknown=1", "kind=OUTCOME_KIND_NAME_COURSE&kind=OUTCOME_KIND_NAME_SKILL_CERTIFICATE",
            "format=RULE_FILE_FORMAT_XML", "format=7", "region=%E4%B8%AD%00",
        ];
        foreach (var (name, method, request, token) in lists)
        {
            foreach (var query in queries)
            {
                yield return ($"GET {name}?{query}", method, request, token, null, null, query);
            }
        }
    }

    /// <summary>UploadBatch streams: bad headers, bad lines, lines out of order, a header twice, no header.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> Streams()
    {
        UploadBatchRequest Header(Action<BatchHeader> change)
        {
            var header = new BatchHeader { RequestId = Guid.NewGuid().ToString(), InstitutionCode = "4150012608", DryRun = true, TotalLines = 2 };
            change(header);
            return new UploadBatchRequest { Header = header };
        }

        var line = new UploadBatchRequest { Line = Submissions().Select(s => Line(s.Request)).First() };
        yield return ("UploadBatch total_lines = long.MaxValue", Exchange.Stream([Header(h => h.TotalLines = long.MaxValue), line]));
        yield return ("UploadBatch total_lines = -1", Exchange.Stream([Header(h => h.TotalLines = -1), line]));
        foreach (var (label, value) in BadText)
        {
            yield return ($"UploadBatch header.request_id = {label}", Exchange.Stream([Header(h => h.RequestId = value), line]));
            yield return ($"UploadBatch header.institution_code = {label}", Exchange.Stream([Header(h => h.InstitutionCode = value), line]));
        }

        yield return ("UploadBatch no header", Exchange.Stream([line]));
        yield return ("UploadBatch header twice", Exchange.Stream([Header(_ => { }), Header(_ => { })]));
        yield return ("UploadBatch line numbers backwards", Exchange.Stream([Header(_ => { }),
            new UploadBatchRequest { Line = new BatchLine(line.Line) { LineNumber = 5 } }, new UploadBatchRequest { Line = new BatchLine(line.Line) { LineNumber = 3 } }]));
        yield return ("UploadBatch line number past a million", Exchange.Stream([Header(_ => { }), new UploadBatchRequest { Line = new BatchLine(line.Line) { LineNumber = 1_000_001 } }]));
        foreach (var (kind, request) in Submissions())
        {
            foreach (var (path, field) in Leaves(SubmitOutcomeRequest.Descriptor, string.Empty, request).Where(l => l.Path.Contains('.')))
            {
                foreach (var (label, value) in ValuesFor(path, field).Take(4))
                {
                    var copy = request.Clone();
                    if (Set(copy, path, value))
                    {
                        yield return ($"UploadBatch line {kind} {path} = {label}", Exchange.Stream([Header(_ => { }), new UploadBatchRequest { Line = Line(copy) }]));
                    }
                }
            }
        }
    }

    /// <summary>Files for POST /v1/batches:upload: no header, a column twice, commas only, the wrong content type, GBK, too deep.</summary>
    public static IEnumerable<(string Name, Func<HttpRequestMessage> Build)> Uploads(Uri rest)
    {
        const string header = "kind,document_number,name,course_code,title,credits,hours,term,grade_scheme,grade";
        const string row = "COURSE,500228200501011237,张三,CS901,语料课程,3,48,2025-2026-2,FIVE_LEVEL,优";
        var gbk = CodePages();
        (string, string, byte[], string)[] files =
        [
            ("no header row", "", Encoding.UTF8.GetBytes(row + "\n" + row), "text/csv"),
            ("empty file", "", [], "text/csv"),
            ("a column twice", "", Encoding.UTF8.GetBytes(header + ",name\n" + row + ",李四"), "text/csv"),
            ("commas only", "", Encoding.UTF8.GetBytes(",,,,,,\n,,,,,,"), "text/csv"),
            ("an unknown column", "", Encoding.UTF8.GetBytes(header + ",备注\n" + row + ",x"), "text/csv"),
            ("41 columns", "", Encoding.UTF8.GetBytes(string.Join(',', Enumerable.Range(0, 41).Select(i => $"c{i}"))), "text/csv"),
            ("CSV sent as JSON", "", Encoding.UTF8.GetBytes(header + "\n" + row), "application/json"),
            ("a JSON object", "", Encoding.UTF8.GetBytes("{\"lineNumber\":1}"), "application/json"),
            ("JSON 100 deep", "", Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100)), "application/json"),
            ("JSON lines of the wrong type", "", Encoding.UTF8.GetBytes("[1, \"a\", {\"learner\":7}, {\"course\":{\"credits\":\"x\"}}]"), "application/json"),
            ("GBK without charset", "", gbk.GetBytes(header + "\n" + row), "text/csv"),
            ("GBK declared", "", gbk.GetBytes(header + "\n" + row.Replace("CS901", "CS902")), "text/csv; charset=gbk"),
            ("latin1 declared", "", Encoding.Latin1.GetBytes(header), "text/csv; charset=iso-8859-1"),
            ("a control character in a cell", "", Encoding.UTF8.GetBytes(header + "\n" + row.Replace("张三", "张\u0000三")), "text/csv"),
            ("a row longer than 16K", "", Encoding.UTF8.GetBytes(header + "\n" + row + "\"" + new string('x', 20_000)), "text/csv"),
            ("a row with more cells than columns", "", Encoding.UTF8.GetBytes(header + "\n" + row + ",a,b,c"), "text/csv"),
            ("image content type", "", [0x89, 0x50, 0x4E, 0x47], "image/png"),
            ("total_lines too many", "&total_lines=9223372036854775807", Encoding.UTF8.GetBytes(header + "\n" + row), "text/csv"),
            ("total_lines not a number", "&total_lines=ten", Encoding.UTF8.GetBytes(header + "\n" + row), "text/csv"),
            ("dry_run not a boolean", "&dry_run=perhaps", Encoding.UTF8.GetBytes(header + "\n" + row), "text/csv"),
            ("an unknown parameter", "&mode=fast", Encoding.UTF8.GetBytes(header + "\n" + row), "text/csv"),
            ("no institution", "&institution_code=", Encoding.UTF8.GetBytes(header + "\n" + row), "text/csv"),
        ];
        foreach (var (name, query, bytes, type) in files)
        {
            yield return ($"POST /v1/batches:upload {name}", () =>
            {
                var institution = query.Contains("institution_code", StringComparison.Ordinal) ? string.Empty : "institution_code=4150012608&";
                var message = new HttpRequestMessage(HttpMethod.Post, new Uri(rest, $"/v1/batches:upload?{institution}request_id={Guid.NewGuid()}{query}"))
                {
                    Content = new ByteArrayContent(bytes),
                };
                message.Content.Headers.TryAddWithoutValidation("Content-Type", type);
                return message;
            });
        }
    }

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GBK");
    }

    private static BatchLine Line(SubmitOutcomeRequest request)
    {
        var line = new BatchLine { Learner = request.Learner, AttachmentSha256 = request.AttachmentSha256 };
        foreach (var field in SubmitOutcomeRequest.Descriptor.Oneofs[0].Fields)
        {
            if (field.Accessor.HasValue(request))
            {
                BatchLine.Descriptor.FindFieldByName(field.Name).Accessor.SetValue(line, field.Accessor.GetValue(request));
            }
        }

        return line;
    }

    /// <summary>A valid submission of every kind, for the demo learner 张三, as the trusted college.</summary>
    private static IEnumerable<(string Kind, SubmitOutcomeRequest Request)> Submissions()
    {
        SubmitOutcomeRequest Base() => new()
        {
            RequestId = "corpus", InstitutionCode = "4150012608",
            Learner = new Learner { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = Documents[0], Name = "张三" },
            AttachmentSha256 = new string('a', 64),
        };

        var course = Base();
        course.Course = new Course
        {
            CourseCode = "CS900", Title = "语料课程", Credits = 3, Hours = 48, Term = "2025-2026-1", Grade = new Grade { Scheme = GradingScheme.Percentage, Value = "88" },
        };
        yield return ("course", course);
        var custom = Base();
        custom.Course = new Course { CourseCode = "CS901", Title = "语料课程 GPA", Credits = 2, Hours = 32, Term = "2026-spring", Grade = new Grade { SchemeCode = "GPA_4", Value = "3.2" } };
        yield return ("course by scheme_code", custom);
        var certificate = Base();
        certificate.SkillCertificate = new SkillCertificate { CertificateName = "Web 前端开发职业技能等级证书", Level = SkillLevel.Advanced, CertificateNumber = "C-1", IssueDate = "2025-06-30" };
        yield return ("skill certificate", certificate);
        var qualification = Base();
        qualification.VocationalQualification = new VocationalQualification { QualificationName = "电工", Level = QualificationLevel._3, CertificateNumber = "Q-1", IssueDate = "2024-05-01" };
        yield return ("vocational qualification", qualification);
        var ability = Base();
        ability.SpecialAbility = new SpecialAbility { AbilityName = "梁平竹帘制作", CertificateNumber = "S-1", IssueDate = "2025-03-01" };
        yield return ("special ability", ability);
        var training = Base();
        training.TrainingRecord = new TrainingRecord { Title = "数控车床操作培训", Hours = 40, CompletionDate = "2025-12-01", CertificateNumber = "T-1" };
        yield return ("training record", training);
        var award = Base();
        award.CompetitionAward = new CompetitionAward
        {
            CompetitionName = "全国职业院校技能大赛", Level = AwardLevel.National, Rank = AwardRank.Second, CertificateNumber = "A-1", AwardDate = "2025-06-10",
        };
        yield return ("competition award", award);
        var informal = Base();
        informal.InformalOutcome = new InformalOutcome { Type = InformalType.Mooc, Title = "Python 程序设计", Provider = "中国大学MOOC", Hours = 40, CompletionDate = "2025-08-01" };
        yield return ("informal outcome", informal);
    }

    /// <summary>The scalar fields a request has set or can set (its oneof's chosen case only), by path.</summary>
    private static IEnumerable<(string Path, FieldDescriptor Field)> Leaves(MessageDescriptor descriptor, string prefix, IMessage? value = null)
    {
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            if (field.IsRepeated && field.FieldType != FieldType.Message)
            {
                continue;
            }

            if (field.FieldType == FieldType.Message)
            {
                var inner = value is null ? null : field.IsRepeated
                    ? ((System.Collections.IList)field.Accessor.GetValue(value)).Cast<IMessage>().FirstOrDefault()
                    : field.Accessor.GetValue(value) as IMessage;
                if (value is not null && inner is null)
                {
                    continue;
                }

                foreach (var leaf in Leaves(field.MessageType, prefix + field.Name + ".", inner))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return (prefix + field.Name, field);
            }
        }
    }

    private static IMessage Copy(IMessage message) => message.Descriptor.Parser.ParseFrom(message.ToByteArray());

    private static IEnumerable<(string Label, object Value)> ValuesFor(string path, FieldDescriptor field)
    {
        var name = field.Name;
        return field.FieldType switch
        {
            FieldType.String when name is "document_number" => BadDocuments.Select(d => ($"document {d}", (object)d)).Concat(BadText.Take(4).Select(t => (t.Label, (object)t.Value))),
            FieldType.String when name.EndsWith("_date", StringComparison.Ordinal) => BadDates.Select(d => (d, (object)d)).Concat(BadText.Take(3).Select(t => (t.Label, (object)t.Value))),
            FieldType.String when name == "term" => BadTerms.Select(t => (t, (object)t)).Concat(BadText.Select(t => (t.Label, (object)t.Value))),
            FieldType.String => BadText.Select(t => (t.Label, (object)t.Value)),
            FieldType.Double => BadAmounts.Select(a => (a.Label, (object)a.Value)),
            FieldType.Int32 => BadWholes.Select(w => (w.Label, (object)w.Value)),
            FieldType.Int64 => [("long.MaxValue", long.MaxValue), ("-1", -1L)],
            FieldType.Enum => BadEnums.Select(e => (e.Label, Enum.ToObject(field.EnumType.ClrType, e.Value))),
            FieldType.Bool => [("true", true)],
            _ => [],
        };
    }

    /// <summary>Sets the field at <paramref name="path"/> (creating the messages on the way); false when it cannot be set.</summary>
    private static bool Set(IMessage message, string path, object value)
    {
        var parts = path.Split('.');
        var current = message;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            var field = current.Descriptor.FindFieldByName(parts[i]);
            if (field.IsRepeated)
            {
                var list = (System.Collections.IList)field.Accessor.GetValue(current);
                if (list.Count == 0)
                {
                    return false;
                }

                current = (IMessage)list[0]!;
                continue;
            }

            var next = field.Accessor.GetValue(current) as IMessage;
            if (next is null)
            {
                next = (IMessage)Activator.CreateInstance(field.MessageType.ClrType)!;
                field.Accessor.SetValue(current, next);
            }

            current = next;
        }

        current.Descriptor.FindFieldByName(parts[^1]).Accessor.SetValue(current, value);
        return true;
    }
}
