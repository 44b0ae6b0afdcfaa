using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using CreditBank.Contracts.Events;
using CreditBank.LoadGenerator.Baselines;
using CreditBank.LoadGenerator.Fleet;
using CreditBank.LoadGenerator.Measures;
using CreditBank.LoadGenerator.Report;
using CreditBank.LoadGenerator.Scale;
using CreditBank.LoadGenerator.Scenarios;
using CreditBank.PersonalData;
using Grpc.Net.Client;
using Npgsql;

namespace CreditBank.LoadGenerator;

/// <summary>
/// One <c>make bench</c>: baselines, then the bank started as separate processes and driven through every scenario,
/// then the report. A scenario that fails is written down and the run goes on; the exit code says whether all ran.
/// </summary>
public static class Bench
{
    /// <summary>Three trusted institutions submit: two Chongqing colleges' systems and a Sichuan one (川渝).</summary>
    private static readonly string[] Institutions = ["4150012608", "4150010611", "4151013671"];

    public static async Task<int> RunAsync(string repository, BenchSizes size, string? hotPaths, string output, string workFolder, IReadOnlyCollection<string> parts)
    {
        var infrastructure = Infrastructure.FromEnvironment();
        var run = new BenchRun
        {
            Size = size.Name,
            StartedAt = DateTimeOffset.UtcNow,
            Commit = Git(repository, "rev-parse", "--short", "HEAD") + (Git(repository, "status", "--porcelain", "--untracked-files=no").Length > 0 ? " (with local changes)" : ""),
            Machine = await MachineAsync(infrastructure, repository),
            HotPaths = HotPathResults.Read(hotPaths),
        };
        var clock = Stopwatch.StartNew();
        Say($"make bench ({size.Name}): work folder {workFolder}");

        bool Runs(string part) => parts.Contains(part);
        if (Runs("baselines"))
        {
            await Step(run, "empty gRPC call baseline", () => EmptyCallsAsync(run, size, workFolder));
        }

        Say("starting identity, accounts, conversion and recognition (Release, one process each)");
        // make bench's own ports, unless CREDITBANK_FLEET_PORT gives others (a partial run beside another on the machine).
        var ports = Environment.GetEnvironmentVariable("CREDITBANK_FLEET_PORT") is { Length: > 0 } ? FleetPorts.ForBroker(infrastructure.RabbitMq) : null;
        await using var bank = await DistributedBank.StartAsync(repository, infrastructure, workFolder, Institutions, ports);
        var meter = CpuMeter.For(bank.Services.Select(s => (s.Name, (Func<int>)(() => ServiceNamed(bank, s.Name).Pid))));
        var connection = bank.Connection;
        if (Runs("baselines"))
        {
            await Step(run, "PostgreSQL baseline", async () => run.PostgresBaseline = await PostgresInserts.RunAsync(bank.AccountsDatabase, size.BaselineRows, 2_000));
            await Step(run, "RabbitMQ baseline", async () =>
                run.RabbitMqBaseline = await RabbitMqRoundTrip.RunAsync(infrastructure.RabbitMq, OutcomeMessageBytes(), size.BaselineMessages));
        }

        foreach (var service in bank.Services)
        {
            service.ResetPeakMemory();
        }

        if (Runs("batch"))
        {
            var round = 0L;
            // Small batches (one chunk per institution): every path of the batch route, without saturating the cores.
            await WarmUpAsync(run, bank, "batch pipeline warm-up", _ => BatchPipeline.RunAsync(connection,
                new BatchPipelineOptions(WarmUpBatchLines, 5, LearnerRanges.Warm + round++ * WarmUpBatchLines, TimeSpan.FromMinutes(2))));
            await Measured(run, meter, "1. batch pipeline", async () =>
            {
                run.Batch = await BatchPipeline.RunAsync(connection, new BatchPipelineOptions(size.BatchOutcomes, 5, LearnerRanges.Batch, TimeSpan.FromMinutes(8)));
                foreach (var service in bank.Services)
                {
                    run.BatchPeakMegabytes[service.Name] = service.PeakResidentMegabytes;
                }
            }, bank);
            // The batch leaves 200,000 new rows in each service's tables; autovacuum would clean them up, and a spread
            // checkpoint write them out, over the next minutes, in the middle of whatever is measured next. Done now, and timed.
            var vacuum = Stopwatch.StartNew();
            if (await Step(run, "vacuum after the batch", bank.VacuumAsync))
            {
                run.Settles.Add(new Settle("VACUUM (ANALYZE) of every service database and CHECKPOINT after the batch", vacuum.Elapsed.TotalSeconds, Idle: true));
            }
        }

        if (Runs("feed"))
        {
            await FeedAsync(run, meter, bank);
        }

        if (Runs("submits"))
        {
            var submits = new SubmitOptions(LearnerRanges.Submits, LearnerRanges.SubmitPool, 0, TimeSpan.FromMinutes(3));
            var round = 0L;
            await WarmUpAsync(run, bank, "single submits warm-up", callers => SubmitPipeline.MaxRateAsync(connection,
                submits with { FirstCourse = 50_000_000 + round++ * 1_000_000 }, callers, TimeSpan.FromSeconds(3)), size.SubmitCallers);
            await Measured(run, meter, "2. single submits, highest rate", async () =>
                run.SubmitMax = await SubmitPipeline.MaxRateAsync(connection, submits, size.SubmitCallers, size.SubmitDuration), bank);
            await Measured(run, meter, $"2. single submits, {size.OfferedPerSecond:0}/s offered", async () =>
                run.Offered = await SubmitPipeline.OfferedLoadAsync(connection, submits with { FirstCourse = 10_000_000 }, size.OfferedPerSecond, size.OfferedDuration), bank);
        }

        if (Runs("reads"))
        {
            IReadOnlyList<Guid> readSet = [];
            await Step(run, "read set generation", async () =>
            {
                var generated = await Generate(bank, size.ReadAccounts, size.ReadEntries, LearnerRanges.ReadSet);
                readSet = generated.Sample.Select(a => a.AccountId).ToList();
                run.ReadSet = new GeneratedData(generated.Accounts, generated.LedgerEntries, generated.Elapsed.TotalSeconds, await DatabaseSizeAsync(bank.AccountsDatabase));
            });
            await ReadsAsync(run, meter, bank, readSet, "small", size);
        }

        if (Runs("scale"))
        {
            await ScaleAsync(run, meter, bank, size);
        }

        if (Runs("credentials"))
        {
            await CredentialsAsync(run, bank, size);
        }

        if (Runs("portal"))
        {
            await PortalAsync(run, bank, size);
        }

        run.Duration = clock.Elapsed;
        Write(run, output);
        Say($"wrote {output}; {run.Failures.Count} part(s) failed");
        return run.Failures.Count == 0 ? 0 : 1;
    }

    private static async Task ScaleAsync(BenchRun run, CpuMeter meter, DistributedBank bank, BenchSizes size)
    {
        IReadOnlyList<Guid> readSet = [];
        var grown = await Step(run, "scale bank generation", async () =>
        {
            var (accounts, entries) = await CountAsync(bank.AccountsDatabase);
            Say($"growing the accounts database from {accounts:N0} accounts / {entries:N0} entries to {size.ScaleAccounts:N0} / {size.ScaleEntries:N0}");
            var generated = await Generate(bank, (int)(size.ScaleAccounts - accounts), size.ScaleEntries - entries, LearnerRanges.Scale);
            (accounts, entries) = await CountAsync(bank.AccountsDatabase);
            run.ScaleBank = new GeneratedData(accounts, entries, generated.Elapsed.TotalSeconds, await DatabaseSizeAsync(bank.AccountsDatabase));
            readSet = generated.Sample.Select(a => a.AccountId).ToList();
        });
        if (!grown)
        {
            return;
        }

        await ReadsAsync(run, meter, bank, readSet, "scale", size);
        var atScale = new SubmitOptions(LearnerRanges.Scale, LearnerRanges.SubmitPool, 20_000_000, TimeSpan.FromMinutes(3));
        // Accounts was restarted for the reads: its consumers compile again.
        var round = 0L;
        await WarmUpAsync(run, bank, "scale: single submits warm-up", callers => SubmitPipeline.MaxRateAsync(bank.Connection,
            atScale with { FirstCourse = 60_000_000 + round++ * 1_000_000 }, callers, TimeSpan.FromSeconds(3)), size.SubmitCallers);
        await Measured(run, meter, "4. scale: single submits, highest rate", async () =>
            run.ScaleSubmitMax = await SubmitPipeline.MaxRateAsync(bank.Connection, atScale, size.SubmitCallers, size.SubmitDuration), bank);
        await Measured(run, meter, $"4. scale: single submits, {size.OfferedPerSecond:0}/s offered", async () =>
            run.ScaleOffered = await SubmitPipeline.OfferedLoadAsync(bank.Connection, atScale with { FirstCourse = 30_000_000 }, size.OfferedPerSecond, size.OfferedDuration), bank);
    }

    /// <summary>One client reads the whole outcome change feed from the start (after the batch: its outcomes and the warm-up's).</summary>
    private static async Task FeedAsync(BenchRun run, CpuMeter meter, DistributedBank bank)
    {
        var feedReader = await bank.FeedReaderAsync();
        await WarmUpAsync(run, bank, "outcome change feed warm-up", _ => FeedRead.RunAsync(feedReader, pages: 3));
        await Measured(run, meter, "outcome change feed, one client from the start", async () => run.FeedRead = await FeedRead.RunAsync(feedReader), bank);
    }

    /// <summary>
    /// Scenario 6, last: the credentials service started only now, so that it takes no CPU from the pipeline figures (and
    /// its queues exist only from now on: the learner's outcomes are submitted after it serves).
    /// </summary>
    private static async Task CredentialsAsync(BenchRun run, DistributedBank bank, BenchSizes size)
    {
        if (!await Step(run, "credentials: service start", bank.StartCredentialsAsync))
        {
            return;
        }

        var meter = CpuMeter.For(bank.Services.Select(s => (s.Name, (Func<int>)(() => ServiceNamed(bank, s.Name).Pid))));
        var learner = await bank.PersonAsync(CredentialServing.Learner.UserName, CredentialServing.Learner.Password, bank.Credentials!);
        var (statusList, transcriptBytes) = (string.Empty, 0);
        if (!await Step(run, $"credentials: the learner's {CredentialServing.Outcomes} outcomes banked", async () =>
            (statusList, transcriptBytes) = await CredentialServing.BankAsync(bank.Connection.Institutions[0], learner, TimeSpan.FromMinutes(3))))
        {
            return;
        }

        ClosedLoopResult? files = null, answers = null, lists = null;
        OpenLoopResult? offered = null;
        var (outcomes, callers) = (CredentialServing.Outcomes, CredentialServing.TranscriptCallers);
        await WarmUpAsync(run, bank, "credentials: transcript file warm-up", n =>
            CredentialServing.TranscriptFilesAsync(learner, transcriptBytes, n, WarmUpRound, TimeSpan.Zero), callers);
        await Measured(run, meter, $"6. transcript file of {outcomes} outcomes, {callers} callers", async () =>
            files = await CredentialServing.TranscriptFilesAsync(learner, transcriptBytes, callers, size.ReadDuration, TimeSpan.FromSeconds(2)), bank);
        await Measured(run, meter, $"6. transcript file of {outcomes} outcomes, {CredentialServing.TranscriptsPerSecond:0}/s offered", async () =>
            offered = await CredentialServing.OfferedTranscriptFilesAsync(learner, transcriptBytes, CredentialServing.TranscriptsPerSecond, size.ReadDuration,
                TimeSpan.FromSeconds(2)), bank);
        await WarmUpAsync(run, bank, "credentials: IssueTranscript warm-up", n =>
            CredentialServing.TranscriptAnswersAsync(learner, n, WarmUpRound, TimeSpan.Zero), callers);
        await Measured(run, meter, $"6. IssueTranscript of {outcomes} outcomes, {callers} callers", async () =>
            answers = await CredentialServing.TranscriptAnswersAsync(learner, callers, size.ReadDuration, TimeSpan.FromSeconds(2)), bank);
        using var http = CredentialServing.StatusListClient();
        await WarmUpAsync(run, bank, "credentials: status list warm-up", callers =>
            CredentialServing.StatusListAsync(http, statusList, callers, WarmUpRound, TimeSpan.Zero), CredentialServing.StatusListCallers);
        await Measured(run, meter, $"6. status list GETs, {CredentialServing.StatusListCallers} callers", async () =>
            lists = await CredentialServing.StatusListAsync(http, statusList, CredentialServing.StatusListCallers, size.ReadDuration, TimeSpan.FromSeconds(2)), bank);
        run.Credentials = new CredentialsResult(outcomes, transcriptBytes, files, answers, offered, lists);
    }

    /// <summary>
    /// Scenario 7, last: the portal started only now, as its own process (identity started again to know it), its
    /// learners prepared and signed in; then every learner browsing at once, the account page and its next ledger page.
    /// </summary>
    private static async Task PortalAsync(BenchRun run, DistributedBank bank, BenchSizes size)
    {
        if (!await Step(run, "portal: start (and identity again, with the portal's address and its learners)", () =>
            bank.StartPortalAsync(PortalBrowsing.Documents())))
        {
            return;
        }

        IReadOnlyList<HttpClient> browsers = [];
        if (!await Step(run, $"portal: {PortalBrowsing.Learners} learners banked, registered, claimed and signed in", async () =>
            browsers = await PortalBrowsing.PrepareAsync(bank, bank.Connection.Institutions[0], TimeSpan.FromMinutes(3))))
        {
            return;
        }

        try
        {
            var meter = CpuMeter.For(bank.Services.Append(bank.Portal!).Select(s => (s.Name, (Func<int>)(() => s.Pid))));
            ClosedLoopResult? accountPages = null, ledgerPages = null;
            await WarmUpAsync(run, bank, "portal: account page warm-up", _ =>
                PortalBrowsing.AccountPagesAsync(browsers, WarmUpRound, TimeSpan.Zero), PortalBrowsing.Learners);
            await Measured(run, meter, $"7. portal account page, {PortalBrowsing.Learners} learners", async () =>
                accountPages = await PortalBrowsing.AccountPagesAsync(browsers, size.ReadDuration, TimeSpan.FromSeconds(2)), bank);
            await Measured(run, meter, $"7. portal ledger page 2, {PortalBrowsing.Learners} learners", async () =>
                ledgerPages = await PortalBrowsing.LedgerPagesAsync(browsers, size.ReadDuration, TimeSpan.FromSeconds(2)), bank);
            run.Portal = new PortalResult(PortalBrowsing.Learners, PortalBrowsing.OutcomesEach, accountPages, ledgerPages);
        }
        finally
        {
            foreach (var browser in browsers)
            {
                browser.Dispose();
            }
        }
    }

    private static async Task EmptyCallsAsync(BenchRun run, BenchSizes size, string workFolder)
    {
        await using var server = await EmptyServerAsync(workFolder);
        using var channel = GrpcChannel.ForAddress("http://127.0.0.1:6501", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        foreach (var callers in new[] { 32, 128 })
        {
            run.EmptyCalls.Add(await EmptyCall.RunAsync(channel, callers, size.ReadDuration, TimeSpan.FromSeconds(2)));
        }
    }

    private static async Task ReadsAsync(BenchRun run, CpuMeter meter, DistributedBank bank, IReadOnlyList<Guid> accounts, string label, BenchSizes size)
    {
        if (accounts.Count == 0)
        {
            return;
        }

        foreach (var cached in new[] { true, false })
        {
            await Step(run, $"{label}: accounts restart ({(cached ? "with" : "without")} cache)", () => bank.RestartAccountsAsync(withCache: cached));
            if (cached)
            {
                await Step(run, $"{label}: cache warm-up", () => AccountReads.WarmAsync(bank.Connection, accounts));
            }

            await WarmUpAsync(run, bank, $"{label}: GetAccount warm-up ({(cached ? "with" : "without")} cache)",
                callers => AccountReads.RunAsync(bank.Connection, accounts, callers, TimeSpan.FromSeconds(3), TimeSpan.Zero), ReadCallers.Max());

            foreach (var callers in ReadCallers)
            {
                await Measured(run, meter, $"{(label == "scale" ? "4. scale: " : "3. ")}GetAccount, {(cached ? "warm cache" : "no cache")}, {callers} callers", async () =>
                    run.Reads.Add(new ReadRun(label, cached, await AccountReads.RunAsync(bank.Connection, accounts, callers, size.ReadDuration, TimeSpan.FromSeconds(2)))), bank);
            }
        }

        await Step(run, $"{label}: accounts restart (with cache)", () => bank.RestartAccountsAsync(withCache: true));
    }

    private static Task<GeneratedBank> Generate(DistributedBank bank, int accounts, long entries, long firstLearner) => new BankData
    {
        ConnectionString = bank.AccountsDatabase,
        Accounts = Math.Max(accounts, 1),
        LedgerEntries = Math.Clamp(entries, 10L * Math.Max(accounts, 1), 200L * Math.Max(accounts, 1)),
        DocumentProtection = new DocumentProtectionOptions { HashKey = DistributedBank.HashKey, SealKey = DistributedBank.SealKey, SealKeyId = "bench" },
        FirstLearner = firstLearner,
    }.WriteAsync();

    private static ServiceProcess ServiceNamed(DistributedBank bank, string name) => bank.Services.Single(s => s.Name == name);

    private static async Task Measured(BenchRun run, CpuMeter meter, string scenario, Func<Task> body, DistributedBank bank)
    {
        await SettleAsync(run, bank, scenario);
        var before = meter.Read();
        var clock = Stopwatch.StartNew();
        if (await Step(run, scenario, body))
        {
            run.Cpu.Add(new CpuUse(scenario, clock.Elapsed.TotalSeconds, meter.Since(before)));
        }

        foreach (var service in bank.Services)
        {
            run.RecordPeak(service.Name, service.PeakResidentMegabytes);
        }
    }

    /// <summary>
    /// Waits, at most <see cref="BenchRun.SettleLimit"/>, until no autovacuum worker has run for a second: after the
    /// batch's 200,000 rows PostgreSQL vacuums and analyses the new tables, and a scenario started meanwhile would
    /// measure that clean-up as its own cost.
    /// </summary>
    private static async Task SettleAsync(BenchRun run, DistributedBank bank, string scenario)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(bank.AccountsDatabase);
        await connection.OpenAsync();
        await using var vacuums = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'", connection);
        var quietPolls = 0;
        while (quietPolls < 4 && clock.Elapsed < BenchRun.SettleLimit)
        {
            quietPolls = (long)(await vacuums.ExecuteScalarAsync())! == 0 ? quietPolls + 1 : 0;
            if (quietPolls < 4)
            {
                await Task.Delay(250);
            }
        }

        run.Settles.Add(new Settle(scenario, clock.Elapsed.TotalSeconds, quietPolls >= 4));
        Say($"{scenario}: autovacuum {(quietPolls >= 4 ? "idle" : "still running")} after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>
    /// Callers in a warm-up round: enough to run every path many times, few enough to leave the cores the runtime's
    /// compiler needs (under full load it gets a few percent of them and takes minutes).
    /// </summary>
    internal const int WarmUpCallers = 4;

    /// <summary>The callers of the read scenarios (3 and 4).</summary>
    private static readonly int[] ReadCallers = [32, 128];

    private const int WarmUpBatchLines = 1_500;

    /// <summary>
    /// Warm-up (not measured): rounds of <paramref name="load"/> from <see cref="WarmUpCallers"/> (repeated to at least
    /// <see cref="WarmUpRound"/>) until the services have compiled what the load runs, or <see cref="WarmUpLimit"/> has
    /// passed. .NET compiles a method quickly first and again, optimised, once it is hot, on a background thread per
    /// process; under full load on two cores that goes on for minutes and would be measured as the bank's own cost.
    /// </summary>
    /// <param name="measuredCallers">
    /// The most callers the measured scenarios use. The first round runs with that many, so that connection and
    /// context pools grow to the measured concurrency and the code that only runs at it (opening connections, creating
    /// contexts, waiting for a turn) is compiled during the warm-up: from four callers alone, a perf map of recognition
    /// showed ~680 methods compiled in the first seconds of the measured single submits, most of them EF Core's context
    /// creation and Npgsql's connection opening.
    /// </param>
    private static Task WarmUpAsync(BenchRun run, DistributedBank bank, string name, Func<int, Task> load, int? measuredCallers = null) => Step(run, name, async () =>
    {
        var clock = Stopwatch.StartNew();
        for (var rounds = 1; ; rounds++)
        {
            var before = JitThreads(bank);
            var round = Stopwatch.StartNew();
            var callers = rounds == 1 && measuredCallers is { } most ? most : WarmUpCallers;
            do
            {
                await load(callers);
            }
            while (round.Elapsed < WarmUpRound);

            var after = JitThreads(bank);
            var cores = after.Sum(t => t.Value - before.GetValueOrDefault(t.Key)) / round.Elapsed.TotalSeconds;
            Say($"{name}: round {rounds}, the services' JIT used {cores:0.000} cores");
            // Never after one round: the runtime holds back recompiling while it still meets new methods, so a
            // process that has just started can look quiet in its first seconds.
            if ((cores < BenchRun.QuietJitCores && rounds >= 2) || clock.Elapsed >= WarmUpLimit)
            {
                run.WarmUps.Add(new WarmUp(name, rounds, clock.Elapsed.TotalSeconds, cores));
                return;
            }
        }
    });

    private static readonly TimeSpan WarmUpRound = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan WarmUpLimit = TimeSpan.FromSeconds(120);

    /// <summary>CPU seconds of every service's tiered-compilation threads, by (process, thread).</summary>
    private static Dictionary<(int Pid, int Tid), double> JitThreads(DistributedBank bank) =>
        bank.Services.SelectMany(s => ProcessTable.ThreadCpuSeconds(s.Pid, ".NET Tiered Com").Select(t => (Key: (s.Pid, t.Key), t.Value)))
            .ToDictionary(t => t.Key, t => t.Value);

    private static async Task<bool> Step(BenchRun run, string name, Func<Task> body)
    {
        Say(name);
        var clock = Stopwatch.StartNew();
        try
        {
            await body();
            Say($"{name}: done in {clock.Elapsed.TotalSeconds:0.0} s");
            return true;
        }
        catch (Exception e)
        {
            Say($"{name}: FAILED after {clock.Elapsed.TotalSeconds:0.0} s: {e}");
            run.Failures.Add($"{name}: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            return false;
        }
    }

    private static void Write(BenchRun run, string output)
    {
        var chart = Path.ChangeExtension(output, ".svg");
        File.WriteAllText(chart, RatioChart.Svg(BenchmarkReport.Verdicts(run)));
        File.WriteAllText(output, BenchmarkReport.Markdown(run, Path.GetFileName(chart)));
    }

    /// <summary>The bytes one outcome takes in the batch path's event (an <see cref="OutcomesRecognised"/> chunk, as JSON).</summary>
    private static int OutcomeMessageBytes()
    {
        var outcomes = Enumerable.Range(0, 100).Select(i => new RecognisedOutcome(Guid.CreateVersion7(), "4150012608",
            new LearnerIdentity("RESIDENT_ID_CARD", Convert.ToBase64String(new byte[32]), "5001**********123X", Convert.ToBase64String(new byte[52]), Learners.Name(i)),
            "COURSE", $"压测课程 {i}-{i % 5}", 3, new OutcomeFacts(null, null, 0, "BENCH001", "PERCENTAGE", "85", 48, new DateOnly(2026, 1, 15)))).ToList();
        var chunk = new OutcomesRecognised { EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, Actor = "institution:4150012608", BatchId = Guid.NewGuid(), Outcomes = outcomes };
        return JsonSerializer.SerializeToUtf8Bytes(chunk, new JsonSerializerOptions(JsonSerializerDefaults.Web)).Length / outcomes.Count;
    }

    private static async Task<ServiceProcess> EmptyServerAsync(string workFolder)
    {
        Directory.CreateDirectory(workFolder);
        var folder = AppContext.BaseDirectory;
        var server = ServiceProcess.StartDll("empty gRPC baseline", Path.Combine(folder, "CreditBank.LoadGenerator.dll"), ["serve-empty", "--port", "6501"], folder,
            new Uri("http://127.0.0.1:6501"), Path.Combine(workFolder, "empty-grpc.log"));
        await server.WaitUntilServingAsync(TimeSpan.FromSeconds(30));
        return server;
    }

    private static async Task<(long Accounts, long Entries)> CountAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM ledger_entries)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<string> DatabaseSizeAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_size_pretty(pg_database_size(current_database()))", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<IReadOnlyList<string>> MachineAsync(Infrastructure infrastructure, string repository)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        var os = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? RuntimeInformation.OSDescription;
        string postgres;
        await using (var connection = new NpgsqlConnection(infrastructure.Postgres))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT split_part(version(), ' on ', 1) || ', shared_buffers ' || current_setting('shared_buffers') || ', synchronous_commit ' || current_setting('synchronous_commit') || ', fsync ' || current_setting('fsync')", connection);
            postgres = (string)(await command.ExecuteScalarAsync())!;
        }

        return
        [
            $"{Environment.ProcessorCount} cores ({cpu}), {memory} memory, {os}",
            $"{RuntimeInformation.FrameworkDescription}, services in Release, workstation GC, gen-0 budget {ServiceProcess.Gen0Budgets}, malloc arenas 2, " +
                $"large objects from {LargeObjectThreshold(repository)}, " +
                (Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") == "0" ? "tiered compilation off (each method compiled once, optimised)" : "tiered compilation on"),
            $"{postgres}, {HugePages()}",
            $"RabbitMQ {Run("bash", "-c", "dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null")}, Redis {Run("bash", "-c", "dpkg-query -W -f='${Version}' redis-server 2>/dev/null")} (Debian packages)",
        ];
    }

    /// <summary>
    /// How many of the machine's 2 MB huge pages are taken (PostgreSQL's shared memory, when bench.sh could reserve them):
    /// those touched (not free) and those a mapping holds but has not touched yet (reserved).
    /// </summary>
    private static string HugePages()
    {
        var meminfo = File.Exists("/proc/meminfo") ? File.ReadAllLines("/proc/meminfo") : [];
        long Field(string name) => meminfo.Where(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).FirstOrDefault();
        var total = Field("HugePages_Total");
        return total == 0 ? "no huge pages (4 kB pages)" : $"huge pages: {total - Field("HugePages_Free") + Field("HugePages_Rsvd")} of {total} taken";
    }

    /// <summary>The services' <c>System.GC.LOHThreshold</c>, as their build wrote it into the runtime configuration.</summary>
    private static string LargeObjectThreshold(string repository)
    {
        var file = Path.Combine(repository, "services", "Recognition", "bin", "Release", "net10.0", "CreditBank.Recognition.runtimeconfig.json");
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
        return config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").TryGetProperty("System.GC.LOHThreshold", out var bytes)
            ? $"{bytes.GetInt64() / 1024.0 / 1024:0.#} MB"
            : "85,000 bytes (the runtime's default)";
    }

    private static string Git(string repository, params string[] args) => Run("git", ["-C", repository, .. args]);

    private static string Run(string program, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static void Say(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}
