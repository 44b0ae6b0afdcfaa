using CreditBank.Accounts.Events;
using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Operations.V1;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.TestSupport;
using DocumentType = CreditBank.Contracts.Accounts.V1.DocumentType;
using Grpc.Core;
using Grpc.Health.V1;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CreditBank.Security.Tests;

/// <summary>Every RPC as every kind of caller, with real tokens: who is let in, who is refused, and how.</summary>
public sealed class AuthorizationMatrix(Bank bank) : IClassFixture<Bank>
{
    /// <summary>
    /// OK = allowed; 401 = Unauthenticated; 403 = PermissionDenied; 404 = NotFound (also "not yours": no existence leak);
    /// 409 = AlreadyExists. Learner A (张三) owns the outcome and has claimed the account; institution X submitted it.
    /// OK* = allowed, and answered with nothing: learner B listing A's outcomes gets an empty list.
    /// FP = allowed in, and answered FailedPrecondition: this host's bus is in memory, whose parked messages cannot be seen.
    /// </summary>
    private const string Matrix = """
        rpc                         anonymous learner-a learner-b inst-x inst-y reviewer partner admin
        SubmitOutcome(as-x)         401       403       403       OK     403    403      403     403
        GetOutcome(a)               401       OK        404       OK     404    OK       403     OK
        LookupAccount(a)            401       OK        404       403    403    OK       403     OK
        GetAccount(a)               401       OK        404       403    403    OK       403     OK
        GetAccount(me)              401       OK        404       403    403    404      403     404
        ListLedgerEntries(a)        401       OK        404       403    403    OK       403     OK
        ListLedgerEntries(me)       401       OK        404       403    403    404      403     404
        ClaimAccount(a)             401       409       403       403    403    403      403     403
        ListLearnerOutcomes(a)      401       OK        OK*       403    403    OK       403     OK
        ListReviewTasks(liangping)  401       403       403       403    403    OK       403     OK
        ListReviewTasks(shapingba)  401       403       403       403    403    403      403     OK
        SaveAccreditationUnit       401       403       403       403    403    403      403     OK
        ListInstitutions            401       OK        OK        OK     OK     OK       OK      OK
        EvaluateConversion          401       OK        OK        403    403    403      403     403
        ImportRules(dry-run,y)      401       403       403       403    OK     403      403     OK
        ExportRules(y)              401       403       403       403    OK     403      403     OK
        GetApplication(missing)     401       404       404       404    404    404      403     404
        ListApplications            401       OK        OK        403    403    403      403     403
        IssueOutcomeCredential(a)   401       OK        404       403    403    403      403     403
        IssueTranscript             401       OK        404       403    403    403      403     403
        GetCredential(a)            401       OK        404       403    403    404      403     OK
        DownloadCredential(a)       401       OK        404       403    403    404      403     OK
        VerifyCredential(a)         OK        OK        OK        OK     OK     OK       OK      OK
        GetOutcomeDecisions(a)      401       OK        404       OK     404    404      403     OK
        GetConversionDecision(missing) 401    404       404       404    404    404      403     404
        ListParkedMessages          401       403       403       403    403    403      403     FP
        RestoreParkedMessages       401       403       403       403    403    403      403     FP
        Health                      OK        OK        OK        OK     OK     OK       OK      OK
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
        var documentOfA = new { Type = DocumentType.ResidentIdCard, Number = Bank.LearnerADocument };
        switch (rpc)
        {
            case "SubmitOutcome(as-x)":
                await recognition.SubmitOutcomeAsync(Requests.Course(documentNumber: Requests.ResidentId(700), institution: Requests.TrustedCollege));
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
                var listed = await recognition.ListLearnerOutcomesAsync(new() { DocumentType = Contracts.Recognition.V1.DocumentType.ResidentIdCard, DocumentNumber = Bank.LearnerADocument });
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
            case "ListApplications":
                await new Contracts.Conversion.V1.ConversionService.ConversionServiceClient(bank.Host.Channel.WithToken(bank.TokenOf[caller]))
                    .ListApplicationsAsync(new());
                break;
            case "GetApplication(missing)":
                await new Contracts.Conversion.V1.ConversionService.ConversionServiceClient(bank.Host.Channel.WithToken(bank.TokenOf[caller]))
                    .GetApplicationAsync(new() { ApplicationId = Guid.NewGuid().ToString() });
                break;
            case "IssueOutcomeCredential(a)":
                await bank.Credentials(caller).IssueOutcomeCredentialAsync(new() { OutcomeId = bank.OutcomeOfA });
                break;
            case "IssueTranscript":
                await bank.Credentials(caller).IssueTranscriptAsync(new());
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
            case "Health":
                var health = await new Health.HealthClient(bank.Host.Channel.WithToken(bank.TokenOf[caller])).CheckAsync(new HealthCheckRequest());
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(rpc), rpc, "Not in the matrix.");
        }
    }

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
