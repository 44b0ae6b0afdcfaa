using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CreditBank.TestSupport;

/// <summary>
/// Signs each call with the token of whoever would make it in the bank: the institution a request names (its
/// <c>institution_code</c>), the administrator when it names one, the reviewer of the workstation it names, and an
/// administrator for reads. Lets a test read as the story it tells ("the college submits…", "the reviewer claims…").
/// </summary>
public sealed class ActingAs(IReadOnlyDictionary<string, string> institutionTokens, string reviewerWorkstation, string reviewerToken,
    string adminToken, string streamingInstitution) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithToken(context, TokenFor(request)));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithToken(context, institutionTokens[streamingInstitution]));

    private string TokenFor(object request)
    {
        string? Named(string property) => request.GetType().GetProperty(property)?.GetValue(request) as string;

        if (Named("Admin") is { Length: > 0 })
        {
            return adminToken;
        }

        if (Named("InstitutionCode") is { Length: > 0 } code && institutionTokens.TryGetValue(code, out var institution))
        {
            return institution;
        }

        if (Named("WorkstationCode") is { } workstation)
        {
            return workstation == reviewerWorkstation ? reviewerToken : adminToken;
        }

        return adminToken;
    }

    private static ClientInterceptorContext<TRequest, TResponse> WithToken<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, string token)
        where TRequest : class
        where TResponse : class
    {
        var headers = context.Options.Headers ?? [];
        headers.Add("Authorization", $"Bearer {token}");
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }

    /// <summary>Tokens for every demo institution, the 梁平 reviewer and the administrator, from a host running identity.</summary>
    public static async Task<ActingAs> ForDemoAsync(ServiceHost host, IEnumerable<(string Code, string ClientId, string Secret)>? extra = null,
        string streamingInstitution = Requests.TrustedCollege)
    {
        var tokens = new Dictionary<string, string>();
        foreach (var client in Tokens.DemoClients.Where(c => c.InstitutionCode is not null))
        {
            tokens[client.InstitutionCode!] = await Tokens.ForClientAsync(host.Rest, client.ClientId, client.ClientSecret!);
        }

        foreach (var (code, clientId, secret) in extra ?? [])
        {
            tokens[code] = await Tokens.ForClientAsync(host.Rest, clientId, secret);
        }

        var reviewer = await Tokens.ForPersonAsync(host.Handler, "reviewer-liangping", "demo-reviewer", baseAddress: host.BaseAddress);
        var admin = await Tokens.ForPersonAsync(host.Handler, "admin", "demo-admin", baseAddress: host.BaseAddress);
        return new ActingAs(tokens, "WS-LIANGPING", reviewer, admin, streamingInstitution);
    }

    public string TokenOf(string institutionCode) => institutionTokens[institutionCode];

    public string ReviewerToken => reviewerToken;

    public string AdminToken => adminToken;

    /// <summary>How the bank names the demo reviewer in decisions and events (<c>reviewer:&lt;subject&gt;</c>).</summary>
    public string ReviewerActor => "reviewer:" + Subject(reviewerToken);

    public string AdminActor => "admin:" + Subject(adminToken);

    /// <summary>The <c>sub</c> claim, read from the token's payload (a test's look at its own token, not validation).</summary>
    private static string Subject(string jwt)
    {
        using var json = System.Text.Json.JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1]));
        return json.RootElement.GetProperty("sub").GetString()!;
    }
}
