using System.Net;
using System.Text.RegularExpressions;
using CreditBank.Identity;
using CreditBank.Identity.Data;
using CreditBank.Identity.Domain;
using CreditBank.PersonalData;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CreditBank.TestSupport;

/// <summary>People the identity service knows, put there as its verification would (实名认证), for stories to sign in as.</summary>
public static partial class People
{
    /// <summary>
    /// A verified learner with a login on <paramref name="host"/>'s identity service, bound to
    /// <paramref name="documentNumber"/> (a 居民身份证 number): their token, signed in as a person signs in.
    /// </summary>
    public static async Task<string> VerifiedLearnerAsync(ServiceHost host, string userName, string documentNumber)
    {
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            IdentityDocument.TryParse(DocumentType.ResidentIdCard, documentNumber, out var document, out _);
            var person = new Person
            {
                Id = Guid.CreateVersion7(), UserName = userName, PasswordHash = string.Empty, DisplayName = userName, Role = "learner",
                DocumentHash = scope.ServiceProvider.GetRequiredService<DocumentProtector>().Hash(document!), CreatedAt = DateTimeOffset.UtcNow,
            };
            person.PasswordHash = new PasswordHasher<Person>().HashPassword(person, "pw-" + userName);
            db.People.Add(person);
            await db.SaveChangesAsync();
        }

        return await Tokens.ForPersonAsync(host.Handler, userName, "pw-" + userName);
    }

    /// <summary>
    /// A learner registering themselves at the identity service's page (学习者注册), as a browser does: the page for its
    /// antiforgery field and cookie, then the form with a 居民身份证 number. The page's answer: 201 registered, 400 a
    /// field refused, 409 the user name or document taken.
    /// </summary>
    public static Task<HttpStatusCode> RegisterAsync(ServiceHost host, string userName, string password, string name, string documentNumber,
        CancellationToken ct = default) =>
        RegisterAsync(host.Handler, new Uri("http://localhost"), userName, password, name, documentNumber, ct);

    /// <summary>The same at the identity service reached through <paramref name="server"/> at <paramref name="identity"/> (e.g. its own process).</summary>
    public static async Task<HttpStatusCode> RegisterAsync(HttpMessageHandler server, Uri identity, string userName, string password, string name,
        string documentNumber, CancellationToken ct = default)
    {
        using var browser = new HttpClient(server, disposeHandler: false) { BaseAddress = identity };
        using var page = await browser.GetAsync("/account/register", ct);
        var antiforgery = AntiforgeryField().Match(await page.Content.ReadAsStringAsync(ct));
        using var form = new HttpRequestMessage(HttpMethod.Post, "/account/register")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [antiforgery.Groups[1].Value] = WebUtility.HtmlDecode(antiforgery.Groups[2].Value),
                ["DocumentType"] = "1", ["DocumentNumber"] = documentNumber, ["Name"] = name, ["UserName"] = userName, ["Password"] = password,
            }),
        };
        form.Headers.Add("Cookie", string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        using var registered = await browser.SendAsync(form, ct);
        return registered.StatusCode;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
