using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Recognition;

namespace CreditBank.Integration.Tests;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>) scrapes a running recognition service's <c>/metrics</c> and finds what
/// docs/operations.md alerts on: the outbox's backlog and age, events published, and the calls per RPC and status.
/// </summary>
public sealed class MetricsScrape(DistributedBankHost bank)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Prometheus_scrapes_the_outbox_and_rpc_metrics_of_a_running_service()
    {
        // Its own recognition, on the embedded default (SQLite, in-memory bus).
        await using var recognition = await ServiceHost.StartAsync(b => b.AddRecognition(), a => a.MapRecognition(), new Dictionary<string, string?>
        {
            ["Authentication:Authority"] = bank.Identity.BaseAddress.ToString(),
            ["Telemetry:Prometheus:Enabled"] = "true",
        }, overLoopback: true);
        var college = Tokens.ClientOf(Requests.TrustedCollege);
        var token = await Tokens.ForClientAsync(bank.Identity.Rest, college.ClientId, college.ClientSecret!);
        // Over REST (its one loopback port speaks HTTP/1.1): transcoded calls are counted per RPC as gRPC calls are.
        using var submit = new HttpRequestMessage(HttpMethod.Post, "/v1/outcomes")
        {
            Content = new StringContent(JsonFormatter.Default.Format(Requests.Course(documentNumber: Requests.ResidentId(263), credits: 2)), Encoding.UTF8, "application/json"),
        }.WithToken(token);
        using var submitted = await recognition.Rest.SendAsync(submit, _ct);
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/v1/outcomes/{Guid.NewGuid()}").WithToken(token);
        using var notThere = await recognition.Rest.SendAsync(read, _ct);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotFound), (submitted.StatusCode, notThere.StatusCode));

        await using var prometheus = await Prometheus.StartAsync(recognition.BaseAddress, _ct);

        var published = await prometheus.WaitForAsync("""creditbank_events_published_total{outbox="recognition",event="OutcomesRecognised"}""", v => v >= 1, _ct);
        var pending = await prometheus.WaitForAsync("""creditbank_outbox_pending{outbox="recognition"}""", v => v == 0, _ct);
        var age = await prometheus.WaitForAsync("""creditbank_outbox_oldest_pending_age_seconds{outbox="recognition"}""", v => v == 0, _ct);
        var submits = await prometheus.WaitForAsync(
            """creditbank_rpc_duration_seconds_count{rpc_service="creditbank.recognition.v1.RecognitionService",rpc_method="SubmitOutcome",rpc_grpc_status_code="0"}""",
            v => v >= 1, _ct);
        var notFound = await prometheus.WaitForAsync(
            """creditbank_rpc_duration_seconds_count{rpc_method="GetOutcome",rpc_grpc_status_code="5"}""", v => v >= 1, _ct);

        // At least, not exactly: instruments are the process's, and the other hosts of this test process (the shared
        // bank's recognition, run by tests at the same time) count into them too.
        Assert.True(published >= 1, $"events published: {published}");
        Assert.Equal(0, pending);
        Assert.Equal(0, age);
        Assert.True(submits >= 1, $"SubmitOutcome calls answered OK: {submits}");
        Assert.True(notFound >= 1, $"GetOutcome calls answered NOT_FOUND: {notFound}");
    }

    /// <summary>Debian's Prometheus on a loopback port, scraping one target every second; stopped and its data deleted on dispose.</summary>
    private sealed class Prometheus : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _folder;
        private readonly HttpClient _api;

        private Prometheus(Process process, string folder, int port)
        {
            _process = process;
            _folder = folder;
            _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        }

        public static async Task<Prometheus> StartAsync(Uri target, CancellationToken ct)
        {
            var folder = Path.Combine(Path.GetTempPath(), "creditbank-prometheus-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            var config = Path.Combine(folder, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global: {"{"}scrape_interval: 1s, scrape_timeout: 1s{"}"}
                scrape_configs:
                - job_name: recognition
                  static_configs:
                  - targets: ["{target.Authority}"]
                """, ct);
            var port = FreePort();
            var process = Process.Start(new ProcessStartInfo(Environment.GetEnvironmentVariable("CREDITBANK_PROMETHEUS") ?? "prometheus",
                [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("prometheus did not start (apt-get install prometheus; scripts/infra.sh installs it)");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new Prometheus(process, folder, port);
        }

        /// <summary>The value of an instant query once <paramref name="done"/> (Prometheus scrapes every second).</summary>
        public async Task<double> WaitForAsync(string query, Func<double, bool> done, CancellationToken ct) =>
            (await Eventually.Until(() => QueryAsync(query, ct), v => v is { } value && done(value), TimeSpan.FromSeconds(30), $"Prometheus to answer {query}"))!.Value;

        private async Task<double?> QueryAsync(string query, CancellationToken ct)
        {
            try
            {
                using var answer = JsonDocument.Parse(await _api.GetStringAsync($"api/v1/query?query={Uri.EscapeDataString(query)}", ct));
                var result = answer.RootElement.GetProperty("data").GetProperty("result");
                return result.GetArrayLength() == 1 ? double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) : null;
            }
            catch (HttpRequestException)
            {
                return null; // not listening yet
            }
        }

        /// <summary>A free loopback port below the ephemeral range (CREDITBANK_PROMETHEUS_PORT, or the first free from 22790).</summary>
        private static int FreePort()
        {
            var first = int.TryParse(Environment.GetEnvironmentVariable("CREDITBANK_PROMETHEUS_PORT"), out var configured) ? configured : 22790;
            for (var port = first; port < first + 100; port++)
            {
                try
                {
                    using var probe = new TcpListener(IPAddress.Loopback, port);
                    probe.Start();
                    return port;
                }
                catch (SocketException)
                {
                }
            }

            throw new InvalidOperationException($"No free port in {first}–{first + 99} for Prometheus");
        }

        public async ValueTask DisposeAsync()
        {
            _api.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
