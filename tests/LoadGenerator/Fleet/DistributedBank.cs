using CreditBank.LoadGenerator.Scale;
using CreditBank.TestSupport;
using Grpc.Net.Client;
using Npgsql;

namespace CreditBank.LoadGenerator.Fleet;

/// <summary>Where RabbitMQ, PostgreSQL and Redis are: what <c>scripts/infra.sh up</c> prints.</summary>
public sealed record Infrastructure(string Postgres, string RabbitMq, string Redis)
{
    public static Infrastructure FromEnvironment() => new(Require("CREDITBANK_TEST_POSTGRES"), Require("CREDITBANK_TEST_RABBITMQ"), Require("CREDITBANK_TEST_REDIS"));

    private static string Require(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{name} is not set: run the load generator through `make bench`, or after `eval \"$(scripts/infra.sh up)\"`.");
}

/// <summary>
/// The bank as production runs it: identity, recognition, accounts and conversion, each its own Release process with
/// its own PostgreSQL database, talking through RabbitMQ; accounts caches in Redis; tokens from identity.
/// </summary>
public sealed class DistributedBank : IAsyncDisposable
{
    public const string HashKey = TestSettings.HashKey;
    public const string SealKey = TestSettings.SealKey;

    private readonly string _repository;
    private readonly Infrastructure _infrastructure;
    private readonly string _workFolder;
    private readonly List<GrpcChannel> _channels = [];

    private DistributedBank(string repository, Infrastructure infrastructure, string workFolder)
    {
        (_repository, _infrastructure, _workFolder) = (repository, infrastructure, workFolder);
    }

    public ServiceProcess Identity { get; private set; } = null!;

    public ServiceProcess Recognition { get; private set; } = null!;

    public ServiceProcess Accounts { get; private set; } = null!;

    public ServiceProcess Conversion { get; private set; } = null!;

    public IEnumerable<ServiceProcess> Services => [Identity, Recognition, Accounts, Conversion];

    public string AccountsDatabase => Database("accounts");

    public BankConnection Connection { get; private set; } = null!;

    /// <summary>Fresh databases, then every service started and SERVING, then tokens for three institutions and an administrator.</summary>
    public static async Task<DistributedBank> StartAsync(string repository, Infrastructure infrastructure, string workFolder, IReadOnlyList<string> institutions)
    {
        Directory.CreateDirectory(workFolder);
        var bank = new DistributedBank(repository, infrastructure, workFolder);
        await bank.DropDatabasesAsync();
        bank.Identity = bank.Start("Identity", 6301, 6302, new Dictionary<string, string>
        {
            ["Identity:Issuer"] = "http://127.0.0.1:6301/",
            ["Identity:DevelopmentKeys"] = "true",
            ["Identity:SeedDemo"] = "true",
            ["Identity:AllowHttp"] = "true",
            ["Identity:AttemptsPerMinute"] = "1000",
            ["Authentication:Authority"] = "",
        });
        await bank.Identity.WaitUntilServingAsync(TimeSpan.FromSeconds(90), viaDiscovery: true);
        // Accounts and conversion first: their queues must be bound before recognition publishes.
        bank.Accounts = bank.StartAccounts(withCache: true);
        bank.Conversion = bank.Start("Conversion", 6401, 6402, bank.Messaging());
        await Task.WhenAll(bank.Accounts.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), bank.Conversion.WaitUntilServingAsync(TimeSpan.FromSeconds(90)));
        bank.Recognition = bank.Start("Recognition", 6101, 6102, bank.Messaging());
        await bank.Recognition.WaitUntilServingAsync(TimeSpan.FromSeconds(90));
        bank.Connection = await bank.ConnectAsync(institutions);
        return bank;
    }

    /// <summary>Stops accounts and starts it again, with or without its Redis cache (scenario 3 compares the two).</summary>
    public async Task RestartAccountsAsync(bool withCache)
    {
        await Accounts.DisposeAsync();
        Accounts = StartAccounts(withCache);
        await Accounts.WaitUntilServingAsync(TimeSpan.FromSeconds(90));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        foreach (var service in new[] { Recognition, Conversion, Accounts, Identity })
        {
            if (service is not null)
            {
                await service.DisposeAsync();
            }
        }
    }

    private ServiceProcess StartAccounts(bool withCache)
    {
        var settings = Messaging();
        settings["Redis:Configuration"] = withCache ? _infrastructure.Redis : string.Empty;
        return Start("Accounts", 6201, 6202, settings);
    }

    private Dictionary<string, string> Messaging() => new()
    {
        ["Messaging:Transport"] = "RabbitMq",
        ["Messaging:RabbitMqUri"] = _infrastructure.RabbitMq,
        ["Authentication:Authority"] = "http://127.0.0.1:6301/",
    };

    private ServiceProcess Start(string name, int restPort, int grpcPort, Dictionary<string, string> settings)
    {
        settings[$"Databases:{name}:Provider"] = "Postgres";
        settings[$"Databases:{name}:ConnectionString"] = Database(name.ToLowerInvariant());
        settings["DataFolder"] = Path.Combine(_workFolder, name.ToLowerInvariant());
        settings["DocumentProtection:HashKey"] = HashKey;
        settings["DocumentProtection:SealKey"] = SealKey;
        settings["DocumentProtection:SealKeyId"] = "bench";
        var buildFolder = Path.Combine(_repository, "services", name, "bin", "Release", "net10.0");
        return ServiceProcess.Start(name, buildFolder, restPort, grpcPort, settings, Path.Combine(_workFolder, $"{name.ToLowerInvariant()}.log"));
    }

    private string Database(string service) => $"{_infrastructure.Postgres};Database=bench_{service};Maximum Pool Size=100";

    /// <summary>
    /// VACUUM (ANALYZE) of every service's database, then a checkpoint: what autovacuum and PostgreSQL's spread
    /// checkpoint would do over the next minutes, done now.
    /// </summary>
    public async Task VacuumAsync()
    {
        foreach (var service in Services)
        {
            await using var connection = new NpgsqlConnection(Database(service.Name.ToLowerInvariant()));
            await connection.OpenAsync();
            await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE)", connection) { CommandTimeout = 0 };
            await vacuum.ExecuteNonQueryAsync();
        }

        // One checkpoint covers every database of the cluster.
        await using var any = new NpgsqlConnection(Database("accounts"));
        await any.OpenAsync();
        await BankData.TryCheckpointAsync(any, CancellationToken.None);
    }

    private async Task DropDatabasesAsync()
    {
        await using var connection = new NpgsqlConnection($"{_infrastructure.Postgres};Database=postgres");
        await connection.OpenAsync();
        foreach (var service in new[] { "identity", "recognition", "accounts", "conversion" })
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS bench_{service} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private async Task<BankConnection> ConnectAsync(IReadOnlyList<string> institutions)
    {
        using var http = new HttpClient { BaseAddress = Identity.RestAddress };
        var recognition = Channel(Recognition.GrpcAddress);
        var clients = new List<InstitutionClient>();
        foreach (var code in institutions)
        {
            var client = Tokens.ClientOf(code);
            clients.Add(new InstitutionClient(code, recognition.WithToken(await Tokens.ForClientAsync(http, client.ClientId, client.ClientSecret!))));
        }

        var administrator = await Tokens.ForPersonAsync(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }, "admin", "demo-admin",
            baseAddress: Identity.RestAddress);
        return new BankConnection(clients, Channel(Accounts.GrpcAddress).WithToken(administrator), AccountsDatabase);
    }

    /// <summary>A channel as a busy client would hold one: several HTTP/2 connections when streams run out.</summary>
    public GrpcChannel Channel(Uri address)
    {
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan },
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        _channels.Add(channel);
        return channel;
    }
}
