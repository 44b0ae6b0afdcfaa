using CreditBank.Accounts;
using CreditBank.Conversion;
using CreditBank.Credentials;
using CreditBank.Contracts.Credentials.V1;
using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Identity;
using CreditBank.Recognition;
using DocumentType = CreditBank.Contracts.Accounts.V1.DocumentType;
using Grpc.Core;

namespace CreditBank.Security.Tests;

/// <summary>
/// The bank as the standalone host composes it (identity, recognition, accounts), with a token for every kind of
/// caller, and one learner (A, 张三) whose outcome has been banked and whose account they have claimed.
/// </summary>
public sealed class EveryCallerBankHost : IAsyncLifetime
{
    public const string LearnerADocument = "500228200501011237"; // zhangsan in the demo seed
    public const string LearnerBDocument = "510104199903150029"; // lisi

    public ServiceHost Host { get; private set; } = null!;

    /// <summary>Each caller's token; anonymous has none.</summary>
    public Dictionary<string, string?> TokenOf { get; } = new();

    public string OutcomeOfA { get; private set; } = null!;

    public string AccountOfA { get; private set; } = null!;

    /// <summary>What a learner asks for at sign-in, applying for recognition included.</summary>
    public const string LearnerScopes = "openid offline_access accounts.read conversions.apply outcomes.apply";

    /// <summary>An evidence file of an informal outcome learner A applied for: (outcome id, file id).</summary>
    public (string OutcomeId, string FileId) EvidenceOfA { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Host = await ServiceHost.StartAsync(b => b.AddIdentityProvider().AddRecognition().AddAccounts().AddConversion().AddCredentials(),
            a => a.MapIdentityProvider().MapRecognition().MapAccounts().MapConversion().MapCredentials());
        TokenOf["anonymous"] = null;
        TokenOf["learner-a"] = await Tokens.ForPersonAsync(Host.Handler, "zhangsan", "demo-learner-1", LearnerScopes);
        TokenOf["learner-b"] = await Tokens.ForPersonAsync(Host.Handler, "lisi", "demo-learner-2", LearnerScopes);
        TokenOf["inst-x"] = await ClientToken(Requests.TrustedCollege);
        TokenOf["staff-x"] = await Tokens.ForPersonAsync(Host.Handler, "college-staff", "demo-staff-1", "openid outcomes.submit conversions.decide");
        TokenOf["inst-y"] = await ClientToken("4150010611");
        TokenOf["reviewer"] = await Tokens.ForPersonAsync(Host.Handler, "reviewer-liangping", "demo-reviewer");
        TokenOf["partner"] = await Tokens.ForClientAsync(Host.Rest, "partner-sichuan", "demo-partner-secret");
        TokenOf["feed"] = await Tokens.ForClientAsync(Host.Rest, "conversion-feed", "demo-feed-secret");
        TokenOf["admin"] = await Tokens.ForPersonAsync(Host.Handler, "admin", "demo-admin");

        var submitted = await Recognition("inst-x").SubmitOutcomeAsync(Requests.Course(documentNumber: LearnerADocument));
        OutcomeOfA = submitted.OutcomeId;
        var account = await Accounts("admin").WaitForLedgerAsync(LearnerADocument, 1);
        AccountOfA = account.Account.AccountId;
        await Accounts("learner-a").ClaimAccountAsync(new() { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = LearnerADocument });
        var applied = await Recognition("learner-a").ApplyForRecognitionAsync(AuthorizationMatrix.Application());
        EvidenceOfA = (applied.OutcomeId, applied.EvidenceFiles[0].FileId);
        CredentialOfA = (await Eventually.Until(async () =>
        {
            try
            {
                return await Credentials("learner-a").IssueOutcomeCredentialAsync(new() { OutcomeId = OutcomeOfA });
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return null;
            }
        }, c => c is not null, what: "A's outcome to reach the credentials service"))!.Credential;
    }

    /// <summary>A credential learner A was issued for their outcome.</summary>
    public IssuedCredential CredentialOfA { get; private set; } = null!;

    public CredentialsService.CredentialsServiceClient Credentials(string caller) => new(Host.Channel.WithToken(TokenOf[caller]));

    public ValueTask DisposeAsync() => Host?.DisposeAsync() ?? ValueTask.CompletedTask;

    public RecognitionService.RecognitionServiceClient Recognition(string caller) => new(Host.Channel.WithToken(TokenOf[caller]));

    public AccountsService.AccountsServiceClient Accounts(string caller) => new(Host.Channel.WithToken(TokenOf[caller]));

    private async Task<string> ClientToken(string institutionCode)
    {
        var client = Tokens.ClientOf(institutionCode);
        return await Tokens.ForClientAsync(Host.Rest, client.ClientId, client.ClientSecret!);
    }
}
