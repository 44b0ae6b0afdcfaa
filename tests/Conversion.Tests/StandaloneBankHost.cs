using CreditBank.Accounts;
using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Conversion.V1;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Identity;
using CreditBank.Recognition;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CreditBank.Conversion.Tests;

/// <summary>The bank as the standalone host composes it — identity, recognition, accounts, conversion — on the embedded default.</summary>
public sealed class StandaloneBankHost : IAsyncLifetime
{
    public const string University = "4150010611";   // 重庆大学: programme CQU-SE-2025
    public const string College = "4150012608";      // 重庆电子工程职业学院: programme CQCET-ME-2025

    public ServiceHost Host { get; private set; } = null!;

    public ActingAs Callers { get; private set; } = null!;

    /// <summary>Recognition as the institution each request names.</summary>
    public RecognitionService.RecognitionServiceClient Institutions { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = await ServiceHost.StartAsync(b => b.AddIdentityProvider().AddRecognition().AddAccounts().AddConversion(),
            a => a.MapIdentityProvider().MapRecognition().MapAccounts().MapConversion());
        Callers = await ActingAs.ForDemoAsync(Host);
        Institutions = new RecognitionService.RecognitionServiceClient(Host.Channel.Intercept(Callers));
    }

    public ValueTask DisposeAsync() => Host?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>A verified learner (实名认证) with a login: returns their token.</summary>
    public Task<string> LearnerAsync(string userName, string documentNumber) => People.VerifiedLearnerAsync(Host, userName, documentNumber);

    public ConversionService.ConversionServiceClient Conversion(string token) => new(Host.Channel.WithToken(token));

    public ConversionService.ConversionServiceClient ConversionAsInstitution(string code) => new(Host.Channel.WithToken(Callers.TokenOf(code)));

    public AccountsService.AccountsServiceClient Accounts(string token) => new(Host.Channel.WithToken(token));

    /// <summary>Claims the learner's account once accounts has opened it (it banks on its own time, from its own consumer).</summary>
    public Task<ClaimAccountResponse?> ClaimWhenOpenedAsync(string token, string documentNumber) =>
        Eventually.Until(async () =>
        {
            try
            {
                return await Accounts(token).ClaimAccountAsync(new() { DocumentType = Contracts.Accounts.V1.DocumentType.ResidentIdCard, DocumentNumber = documentNumber });
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return null;
            }
        }, claimed => claimed is not null, what: "the learner's account to open and be claimed");

    /// <summary>Waits until conversion's copy of the learner's outcomes has caught up (the evaluation sees them).</summary>
    public Task<EvaluateConversionResponse> EvaluateWhenSeenAsync(string token, string programme, int outcomes) =>
        Eventually.Until(() => Conversion(token).EvaluateConversionAsync(new() { ProgrammeCode = programme }).ResponseAsync,
            r => r.Verdicts.Count >= outcomes, what: $"{outcomes} outcomes in conversion's read model");
}
