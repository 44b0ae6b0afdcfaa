using CreditBank.Accounts;
using CreditBank.Contracts.Accounts.V1;
using CreditBank.Conversion;
using CreditBank.Contracts.Events;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Identity;
using CreditBank.Recognition;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(CreditBank.Integration.Tests.DistributedBankHost))]

namespace CreditBank.Integration.Tests;

/// <summary>
/// The distributed topology in miniature: identity, recognition and accounts as three separate applications, each with
/// its own PostgreSQL database; recognition and accounts talk through a real RabbitMQ and validate identity's tokens
/// with the keys its discovery document publishes (over a real loopback socket); accounts caches in a real Redis.
/// </summary>
public sealed class DistributedBankHost : IAsyncLifetime
{
    private readonly string _run = DateTime.UtcNow.ToString("HHmmss") + Guid.NewGuid().ToString("N")[..6];

    public ServiceHost Recognition { get; private set; } = null!;

    public ServiceHost Accounts { get; private set; } = null!;

    /// <summary>重庆电子工程职业学院's system (a trusted college).</summary>
    public RecognitionService.RecognitionServiceClient Institutions { get; private set; } = null!;

    /// <summary>The 1+X assessment organisation's system.</summary>
    public RecognitionService.RecognitionServiceClient Assessor { get; private set; } = null!;

    public AccountsService.AccountsServiceClient Learners { get; private set; } = null!;

    /// <summary>重庆电子工程职业学院's system, uploading batches.</summary>
    public BatchService.BatchServiceClient Batches { get; private set; } = null!;

    public ConnectionMultiplexer Redis { get; private set; } = null!;

    /// <summary>Recognised outcomes' events accounts has consumed (first deliveries and repeats alike).</summary>
    public ConsumedCounter<OutcomesRecognised> Consumed => Accounts.Services.GetRequiredService<ConsumedCounter<OutcomesRecognised>>();

    public ServiceHost Identity { get; private set; } = null!;

    /// <summary>The accounts service's own PostgreSQL database.</summary>
    public string AccountsDatabase => $"{RealInfrastructure.Postgres};Database=accounts_{_run}";

    /// <summary>A bank administrator's access token (authorization code flow through the sign-in page).</summary>
    public string AdministratorToken { get; private set; } = null!;

    public ServiceHost Conversion { get; private set; } = null!;

    /// <summary>The spans of the traces a test begins, from every service of the bank (they share this process).</summary>
    public TraceCollector Traces { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Identity = await ServiceHost.StartAsync(b => b.AddIdentityProvider(), a => a.MapIdentityProvider(), new Dictionary<string, string?>
        {
            ["Databases:Identity:Provider"] = "Postgres",
            ["Databases:Identity:ConnectionString"] = $"{RealInfrastructure.Postgres};Database=identity_{_run}",
            ["Identity:Issuer"] = "",
        }, overLoopback: true);
        var authority = Identity.BaseAddress.ToString();

        // Accounts first: its queue must be bound before recognition publishes.
        Accounts = await ServiceHost.StartAsync(b => b.AddAccounts(), a => a.MapAccounts(), new Dictionary<string, string?>
        {
            ["Authentication:Authority"] = authority,
            ["Databases:Accounts:Provider"] = "Postgres",
            ["Databases:Accounts:ConnectionString"] = AccountsDatabase,
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:RabbitMqUri"] = RealInfrastructure.RabbitMq,
            ["Redis:Configuration"] = RealInfrastructure.Redis,
        }, services: b => b.AddConsumedCounter<OutcomesRecognised>());
        Conversion = await ServiceHost.StartAsync(b => b.AddConversion(), a => a.MapConversion(), new Dictionary<string, string?>
        {
            ["Authentication:Authority"] = authority,
            ["Databases:Conversion:Provider"] = "Postgres",
            ["Databases:Conversion:ConnectionString"] = $"{RealInfrastructure.Postgres};Database=conversion_{_run}",
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:RabbitMqUri"] = RealInfrastructure.RabbitMq,
        });
        Recognition = await ServiceHost.StartAsync(b => b.AddRecognition(), a => a.MapRecognition(), new Dictionary<string, string?>
        {
            ["Authentication:Authority"] = authority,
            ["Databases:Recognition:Provider"] = "Postgres",
            ["Databases:Recognition:ConnectionString"] = $"{RealInfrastructure.Postgres};Database=recognition_{_run}",
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:RabbitMqUri"] = RealInfrastructure.RabbitMq,
        }, services: Traces.AddTo);
        var college = Tokens.ClientOf(Requests.TrustedCollege);
        var collegeToken = await Tokens.ForClientAsync(Identity.Rest, college.ClientId, college.ClientSecret!);
        var adminToken = await Tokens.ForPersonAsync(Identity.Handler, "admin", "demo-admin", baseAddress: Identity.BaseAddress);
        Institutions = new RecognitionService.RecognitionServiceClient(Recognition.Channel.WithToken(collegeToken));
        Batches = new BatchService.BatchServiceClient(Recognition.Channel.WithToken(collegeToken));
        Assessor = new RecognitionService.RecognitionServiceClient(Recognition.Channel.WithToken(
            await Tokens.ForClientAsync(Identity.Rest, Tokens.ClientOf(Requests.TrustedAssessor).ClientId, Tokens.ClientOf(Requests.TrustedAssessor).ClientSecret!)));
        // A bank administrator reads the accounts (learners' own views are in Security.Tests).
        Learners = new AccountsService.AccountsServiceClient(Accounts.Channel.WithToken(adminToken));
        AdministratorToken = adminToken;
        Redis = await ConnectionMultiplexer.ConnectAsync(RealInfrastructure.Redis);
        await WaitUntilServingAsync(Accounts);
        await WaitUntilServingAsync(Recognition);
        await WaitUntilServingAsync(Conversion);
        StartLog = [.. Identity.Log, .. Accounts.Log, .. Conversion.Log, .. Recognition.Log];
    }

    /// <summary>What the four services logged from their start on new databases until each reported SERVING.</summary>
    public IReadOnlyList<string> StartLog { get; private set; } = [];

    public async ValueTask DisposeAsync()
    {
        await Recognition.DisposeAsync();
        await Accounts.DisposeAsync();
        await Conversion.DisposeAsync();
        await Identity.DisposeAsync();
        await Redis.DisposeAsync();
    }

    /// <summary>The learner's account once it holds at least <paramref name="entries"/> ledger entries.</summary>
    public Task<GetAccountResponse> WaitForCreditsAsync(string documentNumber, long entries, TimeSpan? timeout = null) =>
        Learners.WaitForLedgerAsync(documentNumber, entries, timeout);

    public static async Task WaitUntilServingAsync(ServiceHost host)
    {
        var health = new global::Grpc.Health.V1.Health.HealthClient(host.Channel);
        await Eventually.Until(async () => (await health.CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest())).Status,
            status => status == global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromSeconds(60), "the service to report SERVING");
    }
}
