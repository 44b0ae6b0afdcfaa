using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace CreditBank.TestSupport;

/// <summary>Real tokens from the identity service, obtained as clients and people obtain them.</summary>
public static partial class Tokens
{
    public const string PortalClientId = "portal";
    /// <summary>The demo portal client's by-hand callback (a bank without demo data knows only its portal's own: <c>{PortalUrl}signin-callback</c>).</summary>
    public const string PortalRedirectUri = "http://localhost/callback";

    /// <summary>The demo clients of the identity service's <c>Data/Seed/demo-clients.json</c>.</summary>
    public static IReadOnlyList<DemoClient> DemoClients { get; } = JsonSerializer.Deserialize<List<DemoClient>>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "Seed", "demo-clients.json")),
        new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    /// <summary>The demo client that submits as <paramref name="institutionCode"/>.</summary>
    public static DemoClient ClientOf(string institutionCode) => DemoClients.Single(c => c.InstitutionCode == institutionCode);

    /// <summary>client_credentials, as an institution's or partner's system does it.</summary>
    public static async Task<string> ForClientAsync(HttpClient http, string clientId, string secret, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(form));
        return await AccessTokenFrom(response);
    }

    /// <summary>
    /// Authorization code + PKCE through the sign-in page, as a person does it in a browser: authorize → sign in →
    /// authorize again → code → token.
    /// </summary>
    /// <param name="redirectUri">Where the portal client sends the code back: <see cref="PortalRedirectUri"/> unless given.</param>
    /// <param name="newPassword">The person's own password, typed at this sign-in because an administrator set <paramref name="password"/>.</param>
    public static async Task<string> ForPersonAsync(HttpMessageHandler server, string userName, string password,
        string scope = "openid offline_access accounts.read conversions.apply outcomes.review admin", Uri? baseAddress = null, string? redirectUri = null,
        string? newPassword = null) =>
        JsonDocument.Parse(await TokenResponseForPersonAsync(server, userName, password, scope, baseAddress, redirectUri, newPassword)).RootElement
            .GetProperty("access_token").GetString()!;

    /// <summary>The whole token response (access, refresh and identity tokens) of the authorization code flow, as JSON.</summary>
    public static async Task<string> TokenResponseForPersonAsync(HttpMessageHandler server, string userName, string password, string scope,
        Uri? baseAddress = null, string? redirectUri = null, string? newPassword = null)
    {
        redirectUri ??= PortalRedirectUri;
        using var browser = new HttpClient(new Browser(server), disposeHandler: false) { BaseAddress = baseAddress ?? new Uri("http://localhost") };
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = $"/connect/authorize?client_id={PortalClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(redirectUri)}" +
            $"&scope={Uri.EscapeDataString(scope)}&code_challenge={challenge}&code_challenge_method=S256&state=s1";

        using var toSignIn = await browser.GetAsync(authorize);
        var signInPage = Expect(toSignIn, HttpStatusCode.Redirect).Headers.Location!;
        using var page = await browser.GetAsync(signInPage);
        var form = SignInForm(await page.Content.ReadAsStringAsync(), userName, password);
        if (newPassword is not null)
        {
            form["NewPassword"] = newPassword;
        }

        using var signedIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(form));
        var back = Expect(signedIn, HttpStatusCode.Redirect).Headers.Location!;
        using var withCode = await browser.GetAsync(back);
        var callback = Expect(withCode, HttpStatusCode.Redirect).Headers.Location!;
        var code = System.Web.HttpUtility.ParseQueryString(callback.Query)["code"]
            ?? throw new InvalidOperationException($"No code in {callback}");

        using var token = await browser.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = PortalClientId,
            ["code_verifier"] = verifier,
        }));
        var body = await token.Content.ReadAsStringAsync();
        return token.IsSuccessStatusCode ? body : throw new InvalidOperationException($"Token request failed ({(int)token.StatusCode}): {body}");
    }

    /// <summary>
    /// The identity service's sign-in form filled in, from its page's HTML: the antiforgery field and the return URL the
    /// page holds, the user name and the password. Post it to <c>/account/login</c> with the page's cookies.
    /// </summary>
    public static Dictionary<string, string> SignInForm(string signInPage, string userName, string password)
    {
        var antiforgery = AntiforgeryField().Match(signInPage);
        if (!antiforgery.Success)
        {
            throw new InvalidOperationException($"Not the sign-in page: {signInPage[..Math.Min(300, signInPage.Length)]}");
        }

        return new Dictionary<string, string>
        {
            [antiforgery.Groups[1].Value] = WebUtility.HtmlDecode(antiforgery.Groups[2].Value),
            ["ReturnUrl"] = WebUtility.HtmlDecode(ReturnUrlField().Match(signInPage).Groups[1].Value),
            ["UserName"] = userName,
            ["Password"] = password,
        };
    }

    /// <summary>A channel's calls, carrying the token as <c>Authorization: Bearer</c>.</summary>
    public static CallInvoker WithToken(this GrpcChannel channel, string? token) => channel.Intercept(metadata =>
    {
        if (token is not null)
        {
            metadata.Add("Authorization", $"Bearer {token}");
        }

        return metadata;
    });

    public static HttpRequestMessage WithToken(this HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static async Task<string> AccessTokenFrom(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Token request failed ({(int)response.StatusCode}): {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    private static HttpResponseMessage Expect(HttpResponseMessage response, HttpStatusCode status) => response.StatusCode == status
        ? response
        : throw new InvalidOperationException($"Expected {status} from {response.RequestMessage?.RequestUri}, got {(int)response.StatusCode}: " +
            response.Content.ReadAsStringAsync().Result[..Math.Min(500, (int)(response.Content.Headers.ContentLength ?? 500))]);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<input type=\"hidden\" name=\"ReturnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();

    /// <summary>Keeps cookies between requests and does not follow redirects, like a browser the test can watch.</summary>
    private sealed class Browser(HttpMessageHandler server) : DelegatingHandler(server)
    {
        private readonly CookieContainer _cookies = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            var header = _cookies.GetCookieHeader(uri);
            if (header.Length > 0)
            {
                request.Headers.Add("Cookie", header);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
            {
                foreach (var cookie in cookies)
                {
                    _cookies.SetCookies(uri, cookie);
                }
            }

            return response;
        }
    }
}

/// <summary>A client of the identity service's demo seed.</summary>
public sealed record DemoClient(string ClientId, string? ClientSecret, string DisplayName, string Role, string? InstitutionCode, string? PartnerCode);
