using System.Diagnostics;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CreditBank.LoadGenerator.Fleet;

/// <summary>One CreditBank service running as its own process (the Release build), as it runs in production.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(string name, Process process, Uri grpc, Uri rest)
    {
        Name = name;
        _process = process;
        GrpcAddress = grpc;
        RestAddress = rest;
    }

    public string Name { get; }

    public Uri GrpcAddress { get; }

    public Uri RestAddress { get; }

    public int Pid => _process.Id;

    /// <summary>
    /// The gen-0 budget each service runs with, unless <c>DOTNET_GCgen0size</c> is set around the bench: 48 MB for accounts,
    /// whose reads allocate a few KB each (token, protobuf, HTTP/2) at tens of thousands a second, and with workstation
    /// GC's default budget collected hundreds of times a second; 16 MB for the others, whose peaks are what 64 callers or
    /// three batch uploads hold in flight, not the collections (docs/performance.md, "Memory").
    /// </summary>
    public static string Gen0BudgetOf(string service) =>
        Environment.GetEnvironmentVariable("DOTNET_GCgen0size") ?? (service == "Accounts" ? "0x3000000" : "0x1000000");

    /// <summary>The budgets, as the report's machine line states them.</summary>
    public static string Gen0Budgets => Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is { } all
        ? all
        : $"{Gen0BudgetOf("Accounts")} for accounts, {Gen0BudgetOf("Recognition")} for the others";

    /// <summary>Starts <c>dotnet CreditBank.{name}.dll</c> from its build folder with the given settings as environment.</summary>
    public static ServiceProcess Start(string name, string buildFolder, int restPort, int grpcPort, IReadOnlyDictionary<string, string> settings,
        string logFile)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_GCgen0size"] = Gen0BudgetOf(name),
            // glibc's malloc keeps an arena per thread that allocates natively (the runtime, OpenSSL, ICU), up to 8 per
            // core, each holding on to what it freed: ~27 MB of recognition's peak. Two are plenty for a .NET process,
            // whose allocations are managed (docs/performance.md, "Memory").
            ["MALLOC_ARENA_MAX"] = "2",
            ["Kestrel__Endpoints__Rest__Url"] = $"http://127.0.0.1:{restPort}",
            ["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{grpcPort}",
        };
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return StartDll(name, Path.Combine(buildFolder, $"CreditBank.{name}.dll"), [], buildFolder, new Uri($"http://127.0.0.1:{grpcPort}"),
            logFile, environment, new Uri($"http://127.0.0.1:{restPort}"));
    }

    /// <summary>Starts <c>dotnet {dll} {arguments}</c>; its output goes to <paramref name="logFile"/>.</summary>
    public static ServiceProcess StartDll(string name, string dll, IReadOnlyList<string> arguments, string workingDirectory, Uri grpc, string logFile,
        IReadOnlyDictionary<string, string>? environment = null, Uri? rest = null)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: build in Release first (make bench does).");
        }

        // Output straight into the log file, as a container runtime takes it: nothing in this process reads it.
        var start = new ProcessStartInfo("bash", ["-c", "exec dotnet \"$@\" >>\"$LOG_FILE\" 2>&1", "dotnet", dll, .. arguments])
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        start.Environment["LOG_FILE"] = logFile;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        return new ServiceProcess(name, process, grpc, rest ?? grpc);
    }

    /// <summary>Waits for grpc.health.v1 to answer SERVING (the identity service: for its discovery document).</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout, bool viaDiscovery = false)
    {
        var until = DateTime.UtcNow + timeout;
        using var channel = GrpcChannel.ForAddress(GrpcAddress);
        using var http = new HttpClient { BaseAddress = RestAddress, Timeout = TimeSpan.FromSeconds(5) };
        var health = new Health.HealthClient(channel);
        Exception? last = null;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} while starting; see its log.");
            }

            try
            {
                if (viaDiscovery)
                {
                    using var response = await http.GetAsync("/.well-known/openid-configuration");
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                else if ((await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10))).Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or global::Grpc.Core.RpcException or TaskCanceledException)
            {
                last = e;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{Name} did not report SERVING within {timeout.TotalSeconds:0} s. Last error: {last?.Message}");
    }

    /// <summary>Waits for the REST <c>/health/ready</c> to answer 200 (the portal, which serves no gRPC).</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        using var http = new HttpClient { BaseAddress = RestAddress, Timeout = TimeSpan.FromSeconds(5) };
        Exception? last = null;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} while starting; see its log.");
            }

            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds:0} s. Last error: {last?.Message}");
    }

    /// <summary>Peak resident memory since start or since the last <see cref="ResetPeakMemory"/> (VmHWM).</summary>
    public double PeakResidentMegabytes => ProcessTable.PeakResidentMegabytes(Pid);

    public void ResetPeakMemory() => ProcessTable.ResetPeakMemory(Pid);

    /// <summary>SIGKILL, as a crash or the OOM killer ends a process; returns once it has exited.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _process.WaitForExitAsync(wait.Token);
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the host stops gracefully (the outbox relay finishes its batch); then SIGKILL if it hangs.
            using (var term = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
