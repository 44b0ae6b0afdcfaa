using CreditBank.Accounts.Events;
using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Operations.V1;
using CreditBank.Contracts.Recognition.V1;
using DocumentType = CreditBank.Contracts.Accounts.V1.DocumentType;
using Grpc.Core;
using Grpc.Health.V1;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CreditBank.Security.Tests;

/// <summary>Every RPC as every kind of caller, with real tokens: who is let in, who is refused, and how.</summary>
public sealed class AuthorizationMatrix(EveryCallerBankHost bank) : IClassFixture<EveryCallerBankHost>
{
    /// <summary>
    /// OK = allowed; 401 = Unauthenticated; 403 = PermissionDenied; 404 = NotFound (also "not yours": no existence leak);
    /// 409 = AlreadyExists. Learner A (张三) owns the outcome and has claimed the account; institution X submitted it.
    /// OK* = allowed, and answered with nothing: learner B listing A's outcomes gets an empty list.
    /// FP = allowed in, and answered FailedPrecondition: this host's bus is in memory, whose parked messages cannot be seen.
    /// </summary>
    private const string Matrix = """
        rpc                         anonymous learner-a learner-b inst-x staff-x inst-y reviewer partner feed admin
        SubmitOutcome(as-x)          401       403       403       OK        OK        403       403       403       403       403
        GetOutcome(a)                401       OK        404       OK        OK        404       OK        403       403       OK
        LookupAccount(a)             401       OK        404       403       403       403       OK        403       403       OK
        GetAccount(a)                401       OK        404       403       403       403       OK        403       403       OK
        GetAccount(me)               401       OK        404       403       403       403       404       403       403       404
        ListLedgerEntries(a)         401       OK        404       403       403       403       OK        403       403       OK
        ListLedgerEntries(me)        401       OK        404       403       403       403       404       403       403       404
        ClaimAccount(a)              401       409       403       403       403       403       403       403       403       403
        ListLearnerOutcomes(a)       401       OK        OK*       403       403       403       OK        403       403       OK
        ListReviewTasks(liangping)   401       403       403       403       403       403       OK        403       403       OK
        ListReviewTasks(shapingba)   401       403       403       403       403       403       403       403       403       OK
        SaveAccreditationUnit        401       403       403       403       403       403       403       403       403       OK
        ListInstitutions             401       OK        OK        OK        OK        OK        OK        OK        OK        OK
        EvaluateConversion           401       OK        OK        403       403       403       403       403       403       403
        ImportRules(dry-run,y)       401       403       403       403       403       OK        403       403       403       OK
        ExportRules(y)               401       403       403       403       403       OK        403       403       403       OK
        GetApplication(missing)      401       404       404       404       404       404       404       403       403       404
        IssueOutcomeCredential(a)    401       OK        404       403       403       403       403       403       403       403
        IssueTranscript              401       OK        404       403       403       403       403       403       403       403
        IssueTranscriptFile          401       OK        404       403       403       403       403       403       403       403
        GetCredential(a)             401       OK        404       403       403       403       404       403       403       OK
        DownloadCredential(a)        401       OK        404       403       403       403       404       403       403       OK
        VerifyCredential(a)          OK        OK        OK        OK        OK        OK        OK        OK        OK        OK
        GetOutcomeDecisions(a)       401       OK        404       OK        OK        404       404       403       403       OK
        GetConversionDecision(missing)  401       404       404       404       404       404       404       403       403       404
        ListParkedMessages           401       403       403       403       403       403       403       403       403       FP
        RestoreParkedMessages        401       403       403       403       403       403       403       403       403       FP
        ListOutcomeChanges           401       403       403       403       403       403       403       403       OK        OK
        ListInstitutionOutcomes(x)   401       403       403       OK        OK        404       403       403       403       OK
        CreateWorkstation            401       403       403       403       403       403       403       403       403       OK
        UpdateWorkstationDistricts(liangping)  401       403       403       403       403       403       403       403       403       OK
        AssignReviewer(liangping)    401       403       403       403       403       403       403       403       403       OK
        RemoveReviewer(liangping)    401       403       403       403       403       403       403       403       403       OK
        ListBatches(x)               401       403       403       OK        OK        404       403       403       403       403
        ListDecidedReviewTasks(liangping)  401       403       403       403       403       403       OK        403       403       OK
        ListApplications             401       OK        OK        OK        OK        OK        OK        403       403       OK
        ListProgrammes               401       OK        OK        OK        OK        OK        OK        403       403       OK
        GetProgramme(y)              401       OK        OK        OK        OK        OK        OK        403       403       OK
        CreateProgramme(for-y)       401       403       403       403       403       OK        403       403       403       OK
        ReviseProgramme(y,same)      401       403       403       403       403       OK        403       403       403       OK
        RegisterInstitution          401       403       403       403       403       403       403       403       403       OK
        GetInstitution(missing)      401       403       403       403       403       403       403       403       403       404
        Admin.ListInstitutions       401       403       403       403       403       403       403       403       403       OK
        RotateClientSecret(missing)  401       403       403       403       403       403       403       403       403       404
        SetClientKeys(missing)       401       403       403       403       403       403       403       403       403       404
        DisableClient(missing)       401       403       403       403       403       403       403       403       403       404
        ChangeTrustLevel(missing)    401       403       403       403       403       403       403       403       403       404
        CreateReviewer               401       403       403       403       403       403       403       403       403       OK
        CreateInstitutionStaff(missing)  401       403       403       403       403       403       403       403       403       404
        CreateAdministrator          401       403       403       403       403       403       403       403       403       OK
        ResetPassword(missing)       401       403       403       403       403       403       403       403       403       404
        RevokeSessions(missing)      401       403       403       403       403       403       403       403       403       404
        ListAuditEntries             401       403       403       403       403       403       403       403       403       OK
        ApplyForRecognition          401       OK        FP        403       403       403       403       403       403       403
        GetEvidenceFile(a)           401       OK        404       404       404       404       OK        403       403       OK
        Health                       OK        OK        OK        OK        OK        OK        OK        OK        OK        OK
        """;

    public static TheoryData<string, string, string> Cells()
    {
        var rows = Matrix.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var callers = rows[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
        var cells = new TheoryData<string, string, string>();
        foreach (var row in rows[1..])
        {
            var columns = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < callers.Length; i++)
            {
                cells.Add(columns[0], callers[i], columns[i + 1]);
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_rpc_answers_each_caller_as_the_matrix_says(string rpc, string caller, string expected)
    {
        var actual = await Outcome(() => Call(rpc, caller));

        Assert.True(expected == actual, $"{rpc} as {caller}: expected {expected}, got {actual}");
    }

    [Fact]
    public async Task Another_learners_account_looks_exactly_like_a_missing_one()
    {
        var someoneElses = await Assert.ThrowsAsync<RpcException>(() =>
            bank.Accounts("learner-b").GetAccountAsync(new() { AccountId = bank.AccountOfA }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
        var missingId = Guid.NewGuid().ToString();
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            bank.Accounts("learner-b").GetAccountAsync(new() { AccountId = missingId }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(missing.StatusCode, someoneElses.StatusCode);
        Assert.Equal(missing.ErrorInfo()?.Reason, someoneElses.ErrorInfo()?.Reason);
        Assert.Equal(missing.Status.Detail.Replace(missingId, "ID"), someoneElses.Status.Detail.Replace(bank.AccountOfA, "ID"));
    }

    [Fact]
    public async Task An_administrator_asking_for_parked_messages_on_the_in_memory_bus_hears_that_they_need_rabbitmq()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => new ParkedMessagesService.ParkedMessagesServiceClient(bank.Host.Channel.WithToken(bank.TokenOf["admin"]))
            .ListParkedMessagesAsync(new(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal((StatusCode.FailedPrecondition, "PARKED_MESSAGES_NEED_RABBITMQ"), (refused.StatusCode, refused.ErrorInfo()?.Reason));
        Assert.Contains("RabbitMQ", refused.Status.Detail);
    }

    private async Task Call(string rpc, string caller)
    {
        var recognition = bank.Recognition(caller);
        var accounts = bank.Accounts(caller);
        var documentOfA = new { Type = DocumentType.ResidentIdCard, Number = EveryCallerBankHost.LearnerADocument };
        switch (rpc)
        {
            case "SubmitOutcome(as-x)":
                await recognition.SubmitOutcomeAsync(Requests.Course(documentNumber: Requests.ResidentId(700), institution: Requests.TrustedCollege));
                break;
            case "ApplyForRecognition":
                await recognition.ApplyForRecognitionAsync(Application());
                break;
            case "GetEvidenceFile(a)":
                await recognition.GetEvidenceFileAsync(new() { OutcomeId = bank.EvidenceOfA.OutcomeId, FileId = bank.EvidenceOfA.FileId });
                break;
            case "GetOutcome(a)":
                await recognition.GetOutcomeAsync(new() { OutcomeId = bank.OutcomeOfA });
                break;
            case "LookupAccount(a)":
                await accounts.LookupAccountAsync(new() { DocumentType = documentOfA.Type, DocumentNumber = documentOfA.Number });
                break;
            case "GetAccount(a)":
                await accounts.GetAccountAsync(new() { AccountId = bank.AccountOfA });
                break;
            case "GetAccount(me)":
                await accounts.GetAccountAsync(new() { AccountId = "me" });
                break;
            case "ListLedgerEntries(a)":
                await accounts.ListLedgerEntriesAsync(new() { AccountId = bank.AccountOfA });
                break;
            case "ListLedgerEntries(me)":
                await accounts.ListLedgerEntriesAsync(new() { AccountId = "me" });
                break;
            case "ClaimAccount(a)":
                await accounts.ClaimAccountAsync(new() { DocumentType = documentOfA.Type, DocumentNumber = documentOfA.Number });
                break;
            case "ListLearnerOutcomes(a)":
                var listed = await recognition.ListLearnerOutcomesAsync(new() { DocumentType = Contracts.Recognition.V1.DocumentType.ResidentIdCard, DocumentNumber = EveryCallerBankHost.LearnerADocument });
                if (caller == "learner-b")
                {
                    Assert.Empty(listed.Outcomes);
                    throw new RpcException(new Status(StatusCode.OK, "OK*"));
                }

                break;
            case "ListReviewTasks(liangping)":
                await new ReviewService.ReviewServiceClient(bank.Host.Channel.WithToken(bank.TokenOf[caller])).ListReviewTasksAsync(new() { WorkstationCode = "WS-LIANGPING" });
                break;
            case "ListReviewTasks(shapingba)":
                await new ReviewService.ReviewServiceClient(bank.Host.Channel.WithToken(bank.TokenOf[caller])).ListReviewTasksAsync(new() { WorkstationCode = "WS-SHAPINGBA" });
                break;
            case "SaveAccreditationUnit":
                var catalogue = new CatalogueService.CatalogueServiceClient(bank.Host.Channel.WithToken(bank.TokenOf[caller]));
                var unit = (await new CatalogueService.CatalogueServiceClient(bank.Host.Channel.WithToken(bank.TokenOf["admin"]))
                    .ListAccreditationUnitsAsync(new() { PageSize = 1 })).Units[0];
                await catalogue.SaveAccreditationUnitAsync(new() { Unit = unit });
                break;
            case "ListInstitutions":
                await new CatalogueService.CatalogueServiceClient(bank.Host.Channel.WithToken(bank.TokenOf[caller])).ListInstitutionsAsync(new());
                break;
            case "EvaluateConversion":
                await new Contracts.Conversion.V1.ConversionService.ConversionServiceClient(bank.Host.Channel.WithToken(bank.TokenOf[caller]))
                    .EvaluateConversionAsync(new() { ProgrammeCode = "CQU-SE-2025" });
                break;
            case "ImportRules(dry-run,y)":
                await new Contracts.Conversion.V1.ConversionService.ConversionServiceClient(bank.Host.Channel.WithToken(bank.TokenOf[caller]))
                    .ImportRulesAsync(new() { ProgrammeCode = "CQU-SE-2025", Format = Contracts.Conversion.V1.RuleFileFormat.Json, Content = "[]", DryRun = true });
                break;
            case "ExportRules(y)":
                await new Contracts.Conversion.V1.ConversionService.ConversionServiceClient(bank.Host.Channel.WithToken(bank.TokenOf[caller]))
                    .ExportRulesAsync(new() { ProgrammeCode = "CQU-SE-2025", Format = Contracts.Conversion.V1.RuleFileFormat.Csv });
                break;
            case "GetApplication(missing)":
                await new Contracts.Conversion.V1.ConversionService.ConversionServiceClient(bank.Host.Channel.WithToken(bank.TokenOf[caller]))
                    .GetApplicationAsync(new() { ApplicationId = Guid.NewGuid().ToString() });
                break;
            case "ListApplications":
                await Conversion(caller).ListApplicationsAsync(new() { PageSize = 5 });
                break;
            case "ListProgrammes":
                await Conversion(caller).ListProgrammesAsync(new() { PageSize = 5 });
                break;
            case "GetProgramme(y)":
                await Conversion(caller).GetProgrammeAsync(new() { ProgrammeCode = "CQU-SE-2025" });
                break;
            case "CreateProgramme(for-y)":
                await Conversion(caller).CreateProgrammeAsync(new()
                {
                    ProgrammeCode = $"MATRIX-{caller}", InstitutionCode = "4150010611", Name = "矩阵专业",
                    Courses = { new Contracts.Conversion.V1.Course { Code = "C1", Title = "课程", Credits = 4, Category = "CORE" } },
                });
                break;
            case "ReviseProgramme(y,same)":
                // The definition it has: no new version, so the cell changes nothing for the others.
                var current = (await Conversion("admin").GetProgrammeAsync(new() { ProgrammeCode = "CQU-SE-2025" })).Programme;
                await Conversion(caller).ReviseProgrammeAsync(new() { ProgrammeCode = current.ProgrammeCode, Name = current.Name, Courses = { current.Courses }, Caps = current.Caps });
                break;
            case "IssueOutcomeCredential(a)":
                await bank.Credentials(caller).IssueOutcomeCredentialAsync(new() { OutcomeId = bank.OutcomeOfA });
                break;
            case "IssueTranscript":
                await bank.Credentials(caller).IssueTranscriptAsync(new());
                break;
            case "IssueTranscriptFile":
                await bank.Credentials(caller).IssueTranscriptFileAsync(new());
                break;
            case "GetCredential(a)":
                await bank.Credentials(caller).GetCredentialAsync(new() { CredentialId = bank.CredentialOfA.CredentialId });
                break;
            case "DownloadCredential(a)":
                await bank.Credentials(caller).DownloadCredentialAsync(new() { CredentialId = bank.CredentialOfA.CredentialId });
                break;
            case "VerifyCredential(a)":
                var verified = await bank.Credentials(caller).VerifyCredentialAsync(new() { Jwt = bank.CredentialOfA.Jwt });
                Assert.Equal(Contracts.Credentials.V1.VerificationStatus.Verified, verified.Status);
                break;
            case "GetOutcomeDecisions(a)":
                await bank.Credentials(caller).GetOutcomeDecisionsAsync(new() { OutcomeId = bank.OutcomeOfA });
                break;
            case "GetConversionDecision(missing)":
                await bank.Credentials(caller).GetConversionDecisionAsync(new() { ApplicationId = Guid.NewGuid().ToString() });
                break;
            case "ListParkedMessages":
                await new ParkedMessagesService.ParkedMessagesServiceClient(bank.Host.Channel.WithToken(bank.TokenOf[caller])).ListParkedMessagesAsync(new());
                break;
            case "RestoreParkedMessages":
                var queue = bank.Host.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<OutcomesRecognisedConsumer>();
                await new ParkedMessagesService.ParkedMessagesServiceClient(bank.Host.Channel.WithToken(bank.TokenOf[caller]))
                    .RestoreParkedMessagesAsync(new() { QueueName = queue, MaxMessages = 1 });
                break;
            case "RegisterInstitution":
                await Administration(caller).RegisterInstitutionAsync(new()
                {
                    Code = "4150099001", Name = "矩阵学校", Kind = "中职", Region = "渝", TrustLevel = Contracts.Identity.V1.TrustLevel.Untrusted,
                });
                break;
            case "GetInstitution(missing)":
                await Administration(caller).GetInstitutionAsync(new() { Code = "4150099999" });
                break;
            case "Admin.ListInstitutions":
                await Administration(caller).ListInstitutionsAsync(new());
                break;
            case "RotateClientSecret(missing)":
                await Administration(caller).RotateClientSecretAsync(new() { Code = "4150099999" });
                break;
            case "SetClientKeys(missing)":
                await Administration(caller).SetClientKeysAsync(new() { Code = "4150099999" });
                break;
            case "DisableClient(missing)":
                await Administration(caller).DisableClientAsync(new() { Code = "4150099999" });
                break;
            case "ChangeTrustLevel(missing)":
                await Administration(caller).ChangeTrustLevelAsync(new() { Code = "4150099999", TrustLevel = Contracts.Identity.V1.TrustLevel.Trusted });
                break;
            case "CreateReviewer":
                await Administration(caller).CreateReviewerAsync(new()
                {
                    UserName = "matrix-reviewer", DisplayName = "矩阵审核员", Password = "matrix-pass-1", WorkstationCode = "WS-LIANGPING",
                });
                break;
            case "CreateInstitutionStaff(missing)":
                await Administration(caller).CreateInstitutionStaffAsync(new()
                {
                    InstitutionCode = "4150099999", UserName = "matrix-staff", DisplayName = "矩阵院校用户", Password = "matrix-pass-3",
                });
                break;
            case "CreateAdministrator":
                await Administration(caller).CreateAdministratorAsync(new() { UserName = "matrix-admin", DisplayName = "矩阵管理员", Password = "matrix-pass-2" });
                break;
            case "ResetPassword(missing)":
                await Administration(caller).ResetPasswordAsync(new() { UserName = "nobody-here" });
                break;
            case "RevokeSessions(missing)":
                await Administration(caller).RevokeSessionsAsync(new() { UserName = "nobody-here" });
                break;
            case "ListAuditEntries":
                await new AuditService.AuditServiceClient(bank.Host.Channel.WithToken(bank.TokenOf[caller])).ListAuditEntriesAsync(new() { Service = "identity" });
                break;
            case "ListOutcomeChanges":
                await recognition.ListOutcomeChangesAsync(new() { PageSize = 10 });
                break;
            case "ListInstitutionOutcomes(x)":
                await recognition.ListInstitutionOutcomesAsync(new() { InstitutionCode = Requests.TrustedCollege, PageSize = 1 });
                break;
            case "CreateWorkstation":
                await Workstations(caller).CreateWorkstationAsync(new() { WorkstationCode = "WS-MATRIX", Name = "矩阵工作站", DistrictCodes = { "500102" } });
                break;
            case "UpdateWorkstationDistricts(liangping)":
                await Workstations(caller).UpdateWorkstationDistrictsAsync(new() { WorkstationCode = "WS-LIANGPING", DistrictCodes = { "500155", "500228", "500233", "500154" } });
                break;
            case "AssignReviewer(liangping)":
                await Workstations(caller).AssignReviewerAsync(new() { WorkstationCode = "WS-LIANGPING", ReviewerSubject = "matrix-reviewer" });
                break;
            case "RemoveReviewer(liangping)":
                await Workstations(caller).RemoveReviewerAsync(new() { WorkstationCode = "WS-LIANGPING", ReviewerSubject = "matrix-reviewer" });
                break;
            case "ListBatches(x)":
                await new BatchService.BatchServiceClient(bank.Host.Channel.WithToken(bank.TokenOf[caller])).ListBatchesAsync(new() { InstitutionCode = Requests.TrustedCollege });
                break;
            case "ListDecidedReviewTasks(liangping)":
                await new ReviewService.ReviewServiceClient(bank.Host.Channel.WithToken(bank.TokenOf[caller])).ListDecidedReviewTasksAsync(new() { WorkstationCode = "WS-LIANGPING" });
                break;
            case "Health":
                var health = await new Health.HealthClient(bank.Host.Channel.WithToken(bank.TokenOf[caller])).CheckAsync(new HealthCheckRequest());
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(rpc), rpc, "Not in the matrix.");
        }
    }

    private Contracts.Conversion.V1.ConversionService.ConversionServiceClient Conversion(string caller) =>
        new(bank.Host.Channel.WithToken(bank.TokenOf[caller]));

    private Contracts.Identity.V1.AdministrationService.AdministrationServiceClient Administration(string caller) =>
        new(bank.Host.Channel.WithToken(bank.TokenOf[caller]));

    private WorkstationService.WorkstationServiceClient Workstations(string caller) => new(bank.Host.Channel.WithToken(bank.TokenOf[caller]));

    /// <summary>A learner's application for recognition of a MOOC, with a one-line PDF; a new outcome each time.</summary>
    public static ApplyForRecognitionRequest Application() => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        InformalOutcome = new() { Type = InformalType.Mooc, Title = $"数据结构 MOOC {Guid.NewGuid():N}"[..24], Provider = "中国大学MOOC", Hours = 32, CompletionDate = "2026-05-01" },
        EvidenceFiles = { new EvidenceUpload { FileName = "certificate.pdf", Content = Google.Protobuf.ByteString.CopyFromUtf8("%PDF-1.4\n%%EOF\n") } },
    };

    private static async Task<string> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return "OK";
        }
        catch (RpcException e)
        {
            return e.StatusCode switch
            {
                StatusCode.Unauthenticated => "401",
                StatusCode.PermissionDenied => "403",
                StatusCode.NotFound => "404",
                StatusCode.AlreadyExists => "409",
                StatusCode.FailedPrecondition => "FP",
                StatusCode.OK => e.Status.Detail,
                _ => $"{e.StatusCode}: {e.Status.Detail}",
            };
        }
    }
}
