using CreditBank.LoadGenerator.Scale;
using CreditBank.PersonalData;
using CreditBank.TestSupport;
using Grpc.Net.Client;
using Npgsql;

namespace CreditBank.LoadGenerator.Fleet;

/// <summary>Where RabbitMQ, PostgreSQL and Redis are: what <c>scripts/infra.sh up</c> prints.</summary>
/// <param name="RabbitMqClusterNodes">A RabbitMQ cluster's nodes (<c>host:port</c>), given to the services beside <paramref name="RabbitMq"/>; none for one broker.</param>
public sealed record Infrastructure(string Postgres, string RabbitMq, string Redis, IReadOnlyList<string>? RabbitMqClusterNodes = null)
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
    private readonly FleetPorts _ports;
    private readonly string _databasePrefix;
    private readonly string _configuration;
    private readonly List<GrpcChannel> _channels = [];
    private bool _accountsCache = true;
    private IReadOnlyDictionary<string, string> _identityExtras = new Dictionary<string, string>();
    private IReadOnlyList<string> _institutions = [];

    private DistributedBank(string repository, Infrastructure infrastructure, string workFolder, FleetPorts ports, string databasePrefix, string configuration)
    {
        (_repository, _infrastructure, _workFolder) = (repository, infrastructure, workFolder);
        (_ports, _databasePrefix, _configuration) = (ports, databasePrefix, configuration);
    }

    public ServiceProcess Identity { get; private set; } = null!;

    public ServiceProcess Recognition { get; private set; } = null!;

    public ServiceProcess Accounts { get; private set; } = null!;

    public ServiceProcess Conversion { get; private set; } = null!;

    /// <summary>The credentials service once <see cref="StartCredentialsAsync"/> started it; null before.</summary>
    public ServiceProcess? Credentials { get; private set; }

    /// <summary>The portal once <see cref="StartPortalAsync"/> started it; null before. Not among <see cref="Services"/>: it has no database.</summary>
    public ServiceProcess? Portal { get; private set; }

    public IEnumerable<ServiceProcess> Services => Credentials is null
        ? [Identity, Recognition, Accounts, Conversion]
        : [Identity, Recognition, Accounts, Conversion, Credentials];

    public string AccountsDatabase => Database("accounts");

    public BankConnection Connection { get; private set; } = null!;

    /// <summary>
    /// Fresh databases, then every service started and SERVING, then tokens for three institutions and an administrator.
    /// </summary>
    /// <param name="ports">Where the services listen; make bench's ports unless given.</param>
    /// <param name="databasePrefix">Each service's database is <c>{prefix}_{service}</c>, dropped first.</param>
    /// <param name="configuration">The build the services run from (<c>services/X/bin/{configuration}/net10.0</c>).</param>
    public static async Task<DistributedBank> StartAsync(string repository, Infrastructure infrastructure, string workFolder, IReadOnlyList<string> institutions,
        FleetPorts? ports = null, string databasePrefix = "bench", string configuration = "Release")
    {
        Directory.CreateDirectory(workFolder);
        var bank = new DistributedBank(repository, infrastructure, workFolder, ports ?? FleetPorts.Bench, databasePrefix, configuration);
        await bank.DropAsync();
        // Minutes, not seconds: on two cores shared with other work (load average 40-75) recognition took over 2 minutes
        // to migrate its new database and serve.
        try
        {
            bank.Identity = bank.Launch("Identity");
            await bank.Identity.WaitUntilServingAsync(TimeSpan.FromMinutes(5), viaDiscovery: true);
            // The three at once: accounts' and conversion's queues must be bound before recognition publishes, and it
            // publishes nothing before the load, which starts once all three serve.
            bank.Accounts = bank.Launch("Accounts");
            bank.Conversion = bank.Launch("Conversion");
            bank.Recognition = bank.Launch("Recognition");
            await Task.WhenAll(new[] { bank.Accounts, bank.Conversion, bank.Recognition }.Select(s => s.WaitUntilServingAsync(TimeSpan.FromMinutes(5))));
            bank._institutions = institutions;
            bank.Connection = await bank.ConnectAsync(institutions);
            return bank;
        }
        catch
        {
            // The caller gets no bank to dispose: the processes started so far must not outlive the failed start.
            await bank.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the credentials service, with a fresh EC P-256 signing key, and waits until it serves. Its queues exist from
    /// then on: it states only outcomes recognised after this.
    /// </summary>
    public async Task StartCredentialsAsync()
    {
        Credentials = Launch("Credentials");
        await Credentials.WaitUntilServingAsync(TimeSpan.FromMinutes(5));
    }

    /// <summary>
    /// Starts the portal as its own process, pointed at identity (its issuer, for sign-in) and at the services' gRPC
    /// ports, as k8s/base/portal.yaml does; identity is started again first, with the portal's address (for its sign-in
    /// client's callback) and with <paramref name="verifiedLearners"/> as the learners its verifier vouches for (the
    /// keyed hash of each document, as <c>Identity:VerifiedLearners</c> lists them), so that they can register.
    /// </summary>
    public async Task StartPortalAsync(IEnumerable<(string DocumentNumber, string Name)> verifiedLearners)
    {
        using var protector = new DocumentProtector(Microsoft.Extensions.Options.Options.Create(new DocumentProtectionOptions
        {
            HashKey = HashKey, SealKey = SealKey, SealKeyId = "bench",
        }));
        var extras = new Dictionary<string, string> { ["Identity:PortalUrl"] = PortalAddress.ToString() };
        foreach (var ((number, name), i) in verifiedLearners.Select((l, i) => (l, i)))
        {
            IdentityDocument.TryParse(DocumentType.ResidentIdCard, number, out var document, out _);
            extras[$"Identity:VerifiedLearners:{i}:DocumentType"] = "1";
            extras[$"Identity:VerifiedLearners:{i}:DocumentHash"] = protector.Hash(document!);
            extras[$"Identity:VerifiedLearners:{i}:Name"] = name;
        }

        _identityExtras = extras;
        await StartAgainAsync("Identity", TimeSpan.FromMinutes(5));
        var issuer = $"http://127.0.0.1:{_ports.Identity}/";
        var settings = new Dictionary<string, string>
        {
            ["Portal:Authority"] = issuer,
            ["Portal:Identity"] = Identity.GrpcAddress.ToString(),
            ["Portal:Recognition"] = Recognition.GrpcAddress.ToString(),
            ["Portal:Accounts"] = Accounts.GrpcAddress.ToString(),
            ["Portal:Conversion"] = Conversion.GrpcAddress.ToString(),
            ["Portal:AllowHttp"] = "true",
            ["Authentication:Authority"] = issuer,
            ["DataFolder"] = Path.Combine(_workFolder, "portal"),
        };
        if (Credentials is not null)
        {
            settings["Portal:Credentials"] = Credentials.GrpcAddress.ToString();
        }

        Portal = ServiceProcess.Start("Portal", Path.Combine(_repository, "services", "Portal", "bin", _configuration, "net10.0"), _ports.Portal,
            _ports.Portal + 1, settings, Path.Combine(_workFolder, "portal.log"));
        await Portal.WaitUntilReadyAsync(TimeSpan.FromMinutes(5));
    }

    /// <summary>Where the portal's pages are served (<see cref="FleetPorts.Portal"/>).</summary>
    public Uri PortalAddress => new($"http://127.0.0.1:{_ports.Portal}/");

    /// <summary>A person's token from identity (the authorization code flow, as the portal signs them in), on a channel to <paramref name="service"/>.</summary>
    public async Task<global::Grpc.Core.CallInvoker> PersonAsync(string userName, string password, ServiceProcess service) =>
        Channel(service.GrpcAddress).WithToken(await Tokens.ForPersonAsync(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false },
            userName, password, baseAddress: Identity.RestAddress));

    /// <summary>Stops accounts and starts it again, with or without its Redis cache (scenario 3 compares the two).</summary>
    public async Task RestartAccountsAsync(bool withCache)
    {
        await Accounts.DisposeAsync();
        _accountsCache = withCache;
        Accounts = Launch("Accounts");
        await Accounts.WaitUntilServingAsync(TimeSpan.FromSeconds(90));
    }

    /// <summary>The service of that name (<c>Identity</c>, <c>Recognition</c>, <c>Accounts</c>, <c>Conversion</c>).</summary>
    public ServiceProcess Service(string name) => Services.Single(s => s.Name == name);

    /// <summary>kill -9 of the service: no shutdown, no last batch finished, whatever it held in memory gone.</summary>
    public Task KillAsync(string name) => Service(name).KillAsync();

    /// <summary>Starts the service again as it was started (same ports, database and settings) and waits until it serves.</summary>
    public async Task StartAgainAsync(string name, TimeSpan timeout)
    {
        await Service(name).DisposeAsync();
        var service = Launch(name);
        await service.WaitUntilServingAsync(timeout, viaDiscovery: name == "Identity");
    }

    /// <summary>
    /// A token fresh from identity for the first institution, used on recognition: "ok" when recognition accepts it
    /// (answers that a batch does not exist rather than that the caller is unknown); throws otherwise.
    /// </summary>
    public async Task<string> NewTokenIsAcceptedAsync()
    {
        var fresh = await ConnectAsync(_institutions.Take(1).ToList());
        var batches = new CreditBank.Contracts.Recognition.V1.BatchService.BatchServiceClient(fresh.Institutions[0].Recognition);
        try
        {
            await batches.GetBatchAsync(new() { BatchId = Guid.NewGuid().ToString() });
            throw new InvalidOperationException("GetBatch of a batch that does not exist answered.");
        }
        catch (global::Grpc.Core.RpcException e) when (e.StatusCode == global::Grpc.Core.StatusCode.NotFound)
        {
            return "a token issued after the restart was accepted by recognition";
        }
    }

    /// <summary>The connection string of the service's own database, for readers that are not the service (the drill's audit).</summary>
    public string DatabaseOf(string name) => Database(name.ToLowerInvariant());

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        foreach (var service in new[] { Portal, Credentials, Recognition, Conversion, Accounts, Identity })
        {
            if (service is not null)
            {
                await service.DisposeAsync();
            }
        }
    }

    /// <summary>Starts the named service with its settings and makes it the fleet's.</summary>
    private ServiceProcess Launch(string name)
    {
        var issuer = $"http://127.0.0.1:{_ports.Identity}/";
        var service = name switch
        {
            // Identity publishes too (institutions registered and changed), through the same broker.
            "Identity" => Start(name, _ports.Identity, new Dictionary<string, string>(Messaging(issuer))
            {
                ["Identity:Issuer"] = issuer,
                ["Identity:DevelopmentKeys"] = "true",
                ["Identity:SeedDemo"] = "true",
                ["Identity:AllowHttp"] = "true",
                ["Identity:AttemptsPerMinute"] = "1000",
                ["Authentication:Authority"] = "",
            }.Concat(_identityExtras).ToDictionary()),
            "Accounts" => Start(name, _ports.Accounts, new Dictionary<string, string>(Messaging(issuer))
            {
                ["Redis:Configuration"] = _accountsCache ? _infrastructure.Redis : string.Empty,
            }),
            "Conversion" => Start(name, _ports.Conversion, Messaging(issuer)),
            "Recognition" => Start(name, _ports.Recognition, Messaging(issuer)),
            "Credentials" => Start(name, _ports.Credentials, new Dictionary<string, string>(Messaging(issuer))
            {
                ["Credentials:PublicBaseUrl"] = $"http://127.0.0.1:{_ports.Credentials}",
                ["Credentials:SigningKeyPem"] = SigningKey(),
            }),
            _ => throw new ArgumentException($"No service {name} in the fleet.", nameof(name)),
        };
        switch (name)
        {
            case "Identity": Identity = service; break;
            case "Accounts": Accounts = service; break;
            case "Conversion": Conversion = service; break;
            case "Credentials": Credentials = service; break;
            default: Recognition = service; break;
        }

        return service;
    }

    private Dictionary<string, string> Messaging(string authority)
    {
        var settings = new Dictionary<string, string>
        {
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:RabbitMqUri"] = _infrastructure.RabbitMq,
            ["Authentication:Authority"] = authority,
        };
        foreach (var (node, i) in (_infrastructure.RabbitMqClusterNodes ?? []).Select((n, i) => (n, i)))
        {
            settings[$"Messaging:RabbitMqClusterNodes:{i}"] = node;
        }

        return settings;
    }

    private ServiceProcess Start(string name, int restPort, Dictionary<string, string> settings)
    {
        var grpcPort = restPort + 1;
        settings[$"Databases:{name}:Provider"] = "Postgres";
        settings[$"Databases:{name}:ConnectionString"] = Database(name.ToLowerInvariant());
        settings["DataFolder"] = Path.Combine(_workFolder, name.ToLowerInvariant());
        settings["DocumentProtection:HashKey"] = HashKey;
        settings["DocumentProtection:SealKey"] = SealKey;
        settings["DocumentProtection:SealKeyId"] = "bench";
        var buildFolder = Path.Combine(_repository, "services", name, "bin", _configuration, "net10.0");
        return ServiceProcess.Start(name, buildFolder, restPort, grpcPort, settings, Path.Combine(_workFolder, $"{name.ToLowerInvariant()}.log"));
    }

    private static string SigningKey()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    private string Database(string service) => $"{_infrastructure.Postgres};Database={_databasePrefix}_{service};Maximum Pool Size=100";

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

    /// <summary>Drops the fleet's databases (stop the services first).</summary>
    public Task DropDatabasesAsync() => DropAsync();

    private async Task DropAsync()
    {
        await using var connection = new NpgsqlConnection($"{_infrastructure.Postgres};Database=postgres");
        await connection.OpenAsync();
        foreach (var service in new[] { "identity", "recognition", "accounts", "conversion", "credentials" })
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databasePrefix}_{service} WITH (FORCE)", connection);
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

    /// <summary>Recognition as conversion's feed client (<c>conversion-feed</c>, scope <c>outcomes.feed</c>) calls it.</summary>
    public async Task<global::Grpc.Core.CallInvoker> FeedReaderAsync()
    {
        using var http = new HttpClient { BaseAddress = Identity.RestAddress };
        var client = Tokens.DemoClients.Single(c => c.ClientId == "conversion-feed");
        return Channel(Recognition.GrpcAddress).WithToken(await Tokens.ForClientAsync(http, client.ClientId, client.ClientSecret!));
    }

    /// <summary>
    /// A channel as a busy client would hold one: several HTTP/2 connections when streams run out, and a stream window
    /// (4 MB) that takes a ~715 KB transcript in one go — with .NET's default 64 KB window the service sent it in
    /// slices, each waiting for the client's WINDOW_UPDATE (quiet runs of the credentials part: 244 → 307 transcripts/s,
    /// CPU per transcript 4.2 → 3.3 ms in the service, 2.0 → 1.6 ms in the client).
    /// </summary>
    public GrpcChannel Channel(Uri address)
    {
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan, InitialHttp2StreamWindowSize = 4 * 1024 * 1024,
            },
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        _channels.Add(channel);
        return channel;
    }
}
