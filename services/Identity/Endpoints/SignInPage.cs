using System.Security.Claims;
using System.Text.Encodings.Web;
using CreditBank.Identity.Administration;
using CreditBank.Identity.Data;
using CreditBank.Persistence.Audit;
using CreditBank.Identity.Domain;
using CreditBank.Identity.Registration;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CreditBank.Identity.Endpoints;

/// <summary>A plain, server-rendered sign-in page (登录) for people; the portal will send people here.</summary>
internal static partial class SignInPage
{
    public sealed class SignInForm
    {
        public string? UserName { get; set; }

        public string? Password { get; set; }

        /// <summary>The person's own password, when an administrator set the current one (<see cref="Person.PasswordChangeRequired"/>).</summary>
        public string? NewPassword { get; set; }

        public string? ReturnUrl { get; set; }
    }

    public static IResult Show(HttpContext http, IAntiforgery antiforgery, string? returnUrl) =>
        Page(http, antiforgery, returnUrl, error: null, StatusCodes.Status200OK);

    private const string ChooseYourOwn =
        "An administrator set your password: choose your own to go on (管理员设置了您的密码，请设置新密码后继续).";

    public static async Task<IResult> SignIn(HttpContext http, IAntiforgery antiforgery, IdentityDb db,
        [FromForm] SignInForm form, ILoggerFactory loggers, IOptions<IdentityOptions> options, TimeProvider time, LearnerVerification verification)
    {
        var logger = loggers.CreateLogger("CreditBank.Identity.SignIn");
        var person = string.IsNullOrWhiteSpace(form.UserName)
            ? null
            : await db.People.FirstOrDefaultAsync(p => p.UserName == form.UserName.Trim(), http.RequestAborted);
        var now = time.GetUtcNow();
        if (person is not null && person.IsLockedOut(now))
        {
            // Locked: not even the right password is checked, so that guessing on gains nothing.
            LogLockedSignIn(logger);
            return Page(http, antiforgery, form.ReturnUrl, "Too many wrong passwords: this user is locked for a while; try again later or ask an administrator (密码错误次数过多，账户已暂时锁定).",
                StatusCodes.Status423Locked);
        }

        var verdict = person is null || string.IsNullOrEmpty(form.Password)
            ? PasswordVerificationResult.Failed
            : new PasswordHasher<Person>().VerifyHashedPassword(person, person.PasswordHash, form.Password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            LogFailedSignIn(logger);
            if (person is not null)
            {
                person.FailedSignIn(now, options.Value.MaxFailedSignIns, options.Value.LockoutDuration);
                await db.SaveChangesAsync(http.RequestAborted);
            }

            return Page(http, antiforgery, form.ReturnUrl, "Wrong user name or password (用户名或密码错误).", StatusCodes.Status401Unauthorized);
        }

        if (await InstitutionStaff.IsSuspendedAsync(db, person!, http.RequestAborted))
        {
            return Page(http, antiforgery, form.ReturnUrl,
                "Your institution's access to the bank is disabled; ask an administrator (贵单位的访问已被停用，请联系管理员).", StatusCodes.Status403Forbidden);
        }

        if (person!.PasswordChangeRequired)
        {
            // Nobody is signed in on a password someone else knows: the person first replaces it (same form, one more field).
            var problem = string.IsNullOrEmpty(form.NewPassword) ? ChooseYourOwn
                : form.NewPassword == form.Password ? "Choose a password other than the one the administrator gave you (新密码不能与管理员设置的密码相同)."
                : PasswordPolicy.Problem(form.NewPassword) is { } weak ? $"{weak} (密码至少 {PasswordPolicy.MinLength} 位，须同时包含字母和数字)"
                : null;
            if (problem is not null)
            {
                return Page(http, antiforgery, form.ReturnUrl, problem,
                    string.IsNullOrEmpty(form.NewPassword) ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, changing: person.UserName);
            }

            var before = person.Audited();
            person.PasswordChanged(new PasswordHasher<Person>().HashPassword(person, form.NewPassword!));
            db.Audit(now, $"person:{person.UserName}", "ChangePassword", PeopleAdministration.Target(person.UserName), before, person.Audited());
            LogPasswordChanged(logger);
        }

        person.SignedIn();
        // A self-registered learner whose document no verifier confirmed yet is asked about again at each sign-in.
        await verification.TryBindAsync(person, http.RequestAborted);
        await db.SaveChangesAsync(http.RequestAborted);

        var identity = new ClaimsIdentity(CookieAuthenticationDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, person!.Id.ToString()));
        identity.AddClaim(new Claim(Claims.Name, person.DisplayName));
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(IsLocal(form.ReturnUrl) ? form.ReturnUrl! : "/account/signed-in");
    }

    public static IResult SignedIn() => Results.Content(
        "<!doctype html><meta charset=utf-8><title>CreditBank</title><p>Signed in (已登录). You can close this page.</p>", "text/html; charset=utf-8");

    /// <summary>Only paths on this server: never an open redirect.</summary>
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    /// <param name="changing">The user name of a person who must choose a new password: the form asks for it.</param>
    private static IResult Page(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? error, int status, string? changing = null)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var html = HtmlEncoder.Default;
        var body = $"""
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>Sign in · 登录 · CreditBank 学分银行</title></head>
            <body>
            <h1>CreditBank 学分银行 — sign in (登录)</h1>
            {(error is null ? string.Empty : $"<p role=\"alert\">{html.Encode(error)}</p>")}
            <form method="post" action="/account/login">
              <input type="hidden" name="{html.Encode(tokens.FormFieldName)}" value="{html.Encode(tokens.RequestToken!)}">
              <input type="hidden" name="ReturnUrl" value="{html.Encode(returnUrl ?? string.Empty)}">
              <label>User name (用户名) <input name="UserName" autocomplete="username" required value="{html.Encode(changing ?? string.Empty)}"></label>
              <label>Password (密码) <input name="Password" type="password" autocomplete="current-password" required></label>
              {(changing is null ? string.Empty : $"<label>New password (新密码) <input name=\"NewPassword\" type=\"password\" autocomplete=\"new-password\" minlength=\"{PasswordPolicy.MinLength}\" required></label>")}
              <button type="submit">Sign in (登录)</button>
            </form>
            <p><a href="/account/register">Register as a learner (学习者注册)</a></p>
            </body></html>
            """;
        return Results.Content(body, "text/html; charset=utf-8", statusCode: status);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Failed sign-in")]
    private static partial void LogFailedSignIn(ILogger logger);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "A person replaced the password an administrator had set")]
    private static partial void LogPasswordChanged(ILogger logger);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Sign-in refused: the user is locked out")]
    private static partial void LogLockedSignIn(ILogger logger);
}
