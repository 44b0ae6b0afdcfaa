using CreditBank.Contracts.Recognition.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CreditBank.Standalone;

/// <summary>
/// Submits a few demo outcomes through the recognition contract once the host has started, and prints where it listens.
/// Each has a fixed request_id, so restarting the host adds nothing twice.
/// </summary>
internal static class DemoData
{
    public static IHostApplicationBuilder AddDemoData(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue("DemoData:Load", false))
        {
            builder.Services.AddHostedService<DemoOutcomes>();
        }

        return builder;
    }

    /// <summary>Valid 居民身份证 numbers made for the demo (check characters are right; the people are not real).</summary>
    public static readonly (string Number, string Name)[] Learners =
    [
        ("500228200501011237", "张三"),
        ("510104199903150029", "李四"),
        ("500103200107150025", "王五"),
    ];

    public static IEnumerable<SubmitOutcomeRequest> Outcomes()
    {
        var (zhang, li, wang) = (Learners[0], Learners[1], Learners[2]);
        yield return Course("demo-1", "4150012608", zhang, "CS101", "数据结构", 4, 64, "2025-2026-1", GradingScheme.Percentage, "87");
        yield return Course("demo-2", "4150012608", zhang, "CS102", "操作系统", 3, 48, "2025-2026-1", GradingScheme.FiveLevel, "良");
        yield return Certificate("demo-3", "91110108MA01R3XK5U", zhang, "Web 前端开发职业技能等级证书", SkillLevel.Intermediate, "2025-WEB-0001234");
        yield return Course("demo-4", "4151013671", li, "ME201", "机械制图", 2.5, 40, "2025-2026-1", GradingScheme.PassFail, "合格");
        yield return Certificate("demo-5", "92500112MA5YQ8H21C", li, "工业机器人操作与运维职业技能等级证书", SkillLevel.Elementary, "2025-IR-0042");
        yield return Course("demo-6", "4150010611", wang, "MA101", "高等数学", 5, 80, "2025-2026-1", GradingScheme.Percentage, "52");
    }

    private static SubmitOutcomeRequest Course(string requestId, string institution, (string Number, string Name) learner,
        string code, string title, double credits, int hours, string term, GradingScheme scheme, string grade) => new()
        {
            RequestId = requestId,
            InstitutionCode = institution,
            Learner = new Learner { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = learner.Number, Name = learner.Name },
            Course = new Course
            {
                CourseCode = code, Title = title, Credits = credits, Hours = hours, Term = term,
                Grade = new Grade { Scheme = scheme, Value = grade },
            },
        };

    private static SubmitOutcomeRequest Certificate(string requestId, string institution, (string Number, string Name) learner,
        string name, SkillLevel level, string number) => new()
        {
            RequestId = requestId,
            InstitutionCode = institution,
            Learner = new Learner { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = learner.Number, Name = learner.Name },
            SkillCertificate = new SkillCertificate { CertificateName = name, Level = level, CertificateNumber = number, IssueDate = "2025-06-30" },
        };
}

/// <summary>Loads the demo outcomes through the same gRPC contract an institution uses.</summary>
internal sealed partial class DemoOutcomes(IServer server, IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<DemoOutcomes> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            LogListening(address);
        }

        // The HTTP/2-only endpoint: gRPC over plain HTTP needs it (README, "What runs where": each process listens twice); tokens come from the REST one.
        var grpc = new Uri((configuration["Kestrel:Endpoints:Grpc:Url"] ?? "http://127.0.0.1:5001").Replace("0.0.0.0", "127.0.0.1"));
        var rest = new Uri((configuration["Kestrel:Endpoints:Rest:Url"] ?? "http://127.0.0.1:5000").Replace("0.0.0.0", "127.0.0.1"));
        using var http = new HttpClient { BaseAddress = rest };
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(grpc);
        var client = new RecognitionService.RecognitionServiceClient(channel);
        var clients = await DemoClientsAsync(stoppingToken);
        foreach (var request in DemoData.Outcomes())
        {
            try
            {
                // Each institution submits with its own token, as its system would (client_credentials).
                var token = await TokenAsync(http, clients[request.InstitutionCode], stoppingToken);
                var answer = await client.SubmitOutcomeAsync(request, new Metadata { { "Authorization", $"Bearer {token}" } }, cancellationToken: stoppingToken);
                LogDemoOutcome(request.RequestId, answer.OutcomeId, answer.Status);
            }
            catch (RpcException e)
            {
                LogDemoFailed(request.RequestId, e.Status.Detail);
            }
        }
    }

    private static async Task<Dictionary<string, DemoClient>> DemoClientsAsync(CancellationToken ct)
    {
        await using var file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Data", "Seed", "demo-clients.json"));
        var clients = await System.Text.Json.JsonSerializer.DeserializeAsync<List<DemoClient>>(file,
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web), ct) ?? [];
        return clients.Where(c => c.InstitutionCode is not null).ToDictionary(c => c.InstitutionCode!);
    }

    private static async Task<string> TokenAsync(HttpClient http, DemoClient client, CancellationToken ct)
    {
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret!,
        }), ct);
        response.EnsureSuccessStatusCode();
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    private sealed record DemoClient(string ClientId, string? ClientSecret, string? InstitutionCode);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "CreditBank standalone listening on {Address}")]
    private partial void LogListening(string address);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "Demo outcome {RequestId}: {OutcomeId} {Status}")]
    private partial void LogDemoOutcome(string requestId, string outcomeId, OutcomeStatus status);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "Demo outcome {RequestId} was refused: {Detail}")]
    private partial void LogDemoFailed(string requestId, string detail);
}
