using CreditBank.Accounts;
using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Identity;
using Grpc.Core.Interceptors;
using Grpc.Core;

namespace CreditBank.Recognition.Tests;

/// <summary>Recognition and accounts in one process on the embedded default, as <c>make run</c> composes them.</summary>
public sealed class RecognitionAndAccountsHost : IAsyncLifetime
{
    public ServiceHost Host { get; private set; } = null!;

    public ActingAs Callers { get; private set; } = null!;

    public RecognitionService.RecognitionServiceClient Institutions { get; private set; } = null!;

    public ReviewService.ReviewServiceClient Reviewers { get; private set; } = null!;

    public BatchService.BatchServiceClient Batches { get; private set; } = null!;

    public AccountsService.AccountsServiceClient Learners { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = await ServiceHost.StartAsync(b => b.AddIdentityProvider().AddRecognition().AddAccounts(),
            a => a.MapIdentityProvider().MapRecognition().MapAccounts());
        // Each call is signed by whoever the request says acts; accounts are read by an administrator.
        Callers = await ActingAs.ForDemoAsync(Host);
        var acting = Host.Channel.Intercept(Callers);
        Institutions = new RecognitionService.RecognitionServiceClient(acting);
        Reviewers = new ReviewService.ReviewServiceClient(acting);
        Batches = new BatchService.BatchServiceClient(acting);
        Learners = new AccountsService.AccountsServiceClient(acting);
    }

    public ValueTask DisposeAsync() => Host?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>The learner's account once its ledger holds at least <paramref name="entries"/> entries.</summary>
    public Task<GetAccountResponse> WaitForLedgerAsync(string documentNumber, long entries, CancellationToken ct, TimeSpan? timeout = null) =>
        Learners.WaitForLedgerAsync(documentNumber, entries, timeout, ct);
}
