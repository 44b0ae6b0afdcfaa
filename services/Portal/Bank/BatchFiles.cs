using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using CreditBank.Contracts.Recognition.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace CreditBank.Portal.Bank;

/// <summary>
/// An institution's semester file on its way to recognition's <c>POST /v1/batches:upload</c> (the service reads the CSV:
/// the portal never parses it). A file is first checked (a dry run, answered at once) and kept here, for its owner only,
/// until they upload it for real or <see cref="KeptFor"/> passes; the real upload runs in the background, so that the
/// batch page can show its progress (GetBatch) while recognition stores it chunk by chunk.
/// </summary>
internal sealed partial class BatchFiles(PortalOptions options, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<BatchFiles> logger) : IDisposable
{
    /// <summary>
    /// The largest file the portal takes: about 40,000 lines of a semester's courses. Larger files go to the REST upload
    /// directly (256 MB there), where nothing holds them in a web server's memory.
    /// </summary>
    public const long MaxFileBytes = 10L * 1024 * 1024;

    /// <summary>How long a checked file waits for its real upload.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Checked files kept per person: a new check forgets that person's oldest beyond these, so that one person checking
    /// file after file holds at most this many × <see cref="MaxFileBytes"/> of the portal's memory (two: two tabs).
    /// </summary>
    public const int KeptPerPerson = 2;

    // The REST route is served on recognition's gRPC address too (HTTP/2 without TLS inside the cluster, as the gRPC calls).
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromMinutes(30),
    };

    private readonly ConcurrentDictionary<string, CheckedFile> _checked = new();
    private readonly ConcurrentDictionary<string, RunningUpload> _running = new();

    /// <summary>The dry run of <paramref name="content"/>: the file is kept under a new request id, with what recognition said of it.</summary>
    public async Task<CheckedFile> CheckAsync(string owner, string institutionCode, string token, byte[] content, string charset, CancellationToken ct)
    {
        Forget();
        var requestId = $"portal-{Guid.CreateVersion7():N}";
        var (answer, problem) = await PostAsync(institutionCode, requestId, dryRun: true, token, content, charset, ct);
        var file = new CheckedFile(owner, institutionCode, requestId, content, charset, answer, problem, time.GetUtcNow());
        foreach (var older in _checked.Values.Where(f => f.Owner == owner).OrderByDescending(f => f.CheckedAt).Skip(KeptPerPerson - 1))
        {
            _checked.TryRemove(older.RequestId, out _);
        }

        _checked[requestId] = file;
        return file;
    }

    /// <summary>The checked file <paramref name="requestId"/> of <paramref name="owner"/>; another person's answers as one never checked.</summary>
    public CheckedFile? Checked(string owner, string requestId) =>
        _checked.TryGetValue(requestId, out var file) && file.Owner == owner ? file : null;

    /// <summary>Starts the real upload of a checked file; false when there is no such file of this person (any more).</summary>
    public bool Start(string owner, string requestId, string token)
    {
        if (Checked(owner, requestId) is not { } file || !_checked.TryRemove(requestId, out _))
        {
            return false;
        }

        var upload = new RunningUpload(owner, requestId, time.GetUtcNow());
        _running[requestId] = upload;
        _ = Task.Run(async () =>
        {
            try
            {
                // The dry run counted the lines: recognition reports progress against that count.
                var (_, problem) = await PostAsync(file.InstitutionCode, requestId, dryRun: false, token, file.Content, file.Charset,
                    lifetime.ApplicationStopping, file.DryRun?.Batch?.LinesDone ?? 0);
                upload.Problem = problem;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                // The same request id again resumes the batch where it stopped (the file is gone: the person uploads it again).
                LogUploadFailed(logger, requestId, e);
                upload.Problem = new ServiceProblem("UNAVAILABLE", StatusCode.Unavailable, null, e.Message);
            }
            finally
            {
                upload.Finished = true;
            }
        });
        return true;
    }

    /// <summary>The upload <paramref name="requestId"/> of <paramref name="owner"/> while the portal still remembers it.</summary>
    public RunningUpload? Running(string owner, string requestId) =>
        _running.TryGetValue(requestId, out var upload) && upload.Owner == owner ? upload : null;

    private async Task<(UploadBatchResponse? Answer, ServiceProblem? Problem)> PostAsync(string institutionCode, string requestId, bool dryRun,
        string token, byte[] content, string charset, CancellationToken ct, long totalLines = 0)
    {
        var address = new Uri(new Uri(options.Recognition), "/v1/batches:upload?institution_code=" + Uri.EscapeDataString(institutionCode)
            + "&request_id=" + Uri.EscapeDataString(requestId) + (dryRun ? "&dry_run=true" : string.Empty)
            + (totalLines > 0 ? $"&total_lines={totalLines}" : string.Empty));
        using var request = new HttpRequestMessage(HttpMethod.Post, address)
        {
            Content = new ByteArrayContent(content), Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = charset };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.IsSuccessStatusCode)
        {
            return (Parser.Parse<UploadBatchResponse>(body), null);
        }

        try
        {
            // The bank's errors as JSON (google.rpc.Status with its details): the same reasons as over gRPC.
            throw Parser.Parse<Google.Rpc.Status>(body).ToRpcException();
        }
        catch (RpcException e)
        {
            return (null, ServiceProblem.From(e));
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException)
        {
            // Not the bank's answer (a proxy's page, say): its status, and its first words.
            var words = CreditBank.Grpc.Validation.Text.Echo(body.Length > 200 ? body[..200] : body);
            LogNotTheBanksAnswer(logger, (int)response.StatusCode, words);
            return (null, new ServiceProblem($"HTTP_{(int)response.StatusCode}", StatusCode.Unknown, null, words));
        }
    }

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true)
        .WithTypeRegistry(TypeRegistry.FromMessages(Google.Rpc.ErrorInfo.Descriptor, Google.Rpc.BadRequest.Descriptor,
            Google.Rpc.RetryInfo.Descriptor, Google.Rpc.QuotaFailure.Descriptor, Google.Rpc.PreconditionFailure.Descriptor)));

    /// <summary>Checked files not uploaded in time, and finished uploads older than that, are let go.</summary>
    private void Forget()
    {
        var before = time.GetUtcNow() - KeptFor;
        foreach (var (id, file) in _checked.Where(c => c.Value.CheckedAt < before))
        {
            _checked.TryRemove(id, out _);
        }

        foreach (var (id, _) in _running.Where(r => r.Value.Finished && r.Value.StartedAt < before))
        {
            _running.TryRemove(id, out _);
        }
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(EventId = 8102, Level = LogLevel.Warning, Message = "Recognition's batch upload answered {Status} with no status of the bank: {Words}")]
    private static partial void LogNotTheBanksAnswer(ILogger logger, int status, string words);

    [LoggerMessage(EventId = 8101, Level = LogLevel.Warning, Message = "The portal's upload of batch {RequestId} stopped before recognition answered")]
    private static partial void LogUploadFailed(ILogger logger, string requestId, Exception e);
}

/// <summary>A file after its dry run: recognition's answer (or refusal), kept for its owner's real upload.</summary>
internal sealed record CheckedFile(string Owner, string InstitutionCode, string RequestId, byte[] Content, string Charset,
    UploadBatchResponse? DryRun, ServiceProblem? Problem, DateTimeOffset CheckedAt);

/// <summary>A real upload the portal is sending: its refusal, if recognition refused it before the batch began.</summary>
internal sealed class RunningUpload(string owner, string requestId, DateTimeOffset startedAt)
{
    public string Owner { get; } = owner;

    public string RequestId { get; } = requestId;

    public DateTimeOffset StartedAt { get; } = startedAt;

    private volatile bool _finished;
    private volatile ServiceProblem? _problem;

    /// <summary>Recognition has answered (or the upload stopped): the batch, if it began, says the rest.</summary>
    public bool Finished { get => _finished; set => _finished = value; }

    public ServiceProblem? Problem { get => _problem; set => _problem = value; }
}
