using System.Text.Encodings.Web;
using CreditBank.Grpc.Validation;
using CreditBank.Identity.Domain;
using CreditBank.Identity.Grpc;
using CreditBank.Identity.Registration;
using CreditBank.PersonalData;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;

namespace CreditBank.Identity.Endpoints;

/// <summary>
/// A plain, server-rendered registration page (学习者注册) where learners create their own login: document, name,
/// password, contact. The login reads their learner account once their document is verified (<see cref="LearnerVerification"/>).
/// </summary>
internal static class RegistrationPage
{
    public sealed class RegistrationForm
    {
        public int DocumentType { get; set; }

        public string? DocumentNumber { get; set; }

        public string? Name { get; set; }

        public string? UserName { get; set; }

        public string? Password { get; set; }

        public string? Contact { get; set; }
    }

    public static IResult Show(HttpContext http, IAntiforgery antiforgery) => Page(http, antiforgery, message: null, StatusCodes.Status200OK);

    public static async Task<IResult> Register(HttpContext http, IAntiforgery antiforgery, [FromForm] RegistrationForm form, LearnerVerification learners)
    {
        var problems = new List<string>();
        var userName = Text.Clean(form.UserName, out _)?.Trim() ?? string.Empty;
        if (!AdministrationGrpcService.UserNamePattern().IsMatch(userName))
        {
            problems.Add("A user name is 3 to 100 letters, digits, '.', '-' or '_' (用户名).");
        }

        var name = Text.Clean(form.Name, out _)?.Trim() ?? string.Empty;
        if (name.Length is 0 or > 100)
        {
            problems.Add("Give your name as on your document (姓名).");
        }

        if (PasswordPolicy.Problem(form.Password ?? string.Empty) is { } weak)
        {
            problems.Add($"{weak} (密码至少 {PasswordPolicy.MinLength} 位，须含字母和数字)");
        }

        var contact = Text.Clean(form.Contact, out _)?.Trim();
        if (contact is { Length: > 100 })
        {
            problems.Add("The contact is at most 100 characters (联系方式).");
        }

        IdentityDocument? document = null;
        if (!Enum.IsDefined((DocumentType)form.DocumentType)
            || !IdentityDocument.TryParse((DocumentType)form.DocumentType, form.DocumentNumber, out document, out _))
        {
            problems.Add($"The document number is not valid (证件号码有误){(Enum.IsDefined((DocumentType)form.DocumentType) ? string.Empty : ": choose a document type")}.");
            document = null;
        }

        if (problems.Count > 0)
        {
            return Page(http, antiforgery, string.Join(" ", problems), StatusCodes.Status400BadRequest);
        }

        var (registered, refused) = await learners.RegisterAsync(userName, form.Password!, name, document!, contact is { Length: > 0 } ? contact : null,
            http.RequestAborted);
        if (registered is null)
        {
            return Page(http, antiforgery, refused, StatusCodes.Status409Conflict);
        }

        return Results.Content(
            $"<!doctype html><meta charset=utf-8><title>CreditBank</title><p role=\"status\">Registered (注册成功). " +
            (registered.Verified
                ? "Your document is verified: signing in shows your learner account (实名认证已通过)."
                : "Your document is not verified yet: you can sign in, and your learner account is shown once it is (实名认证待完成).") +
            "</p><p><a href=\"/account/login\">Sign in (登录)</a></p>",
            "text/html; charset=utf-8", statusCode: StatusCodes.Status201Created);
    }

    private static IResult Page(HttpContext http, IAntiforgery antiforgery, string? message, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var html = HtmlEncoder.Default;
        var body = $"""
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>Register · 学习者注册 · CreditBank 学分银行</title></head>
            <body>
            <h1>CreditBank 学分银行 — register as a learner (学习者注册)</h1>
            {(message is null ? string.Empty : $"<p role=\"alert\">{html.Encode(message)}</p>")}
            <form method="post" action="/account/register">
              <input type="hidden" name="{html.Encode(tokens.FormFieldName)}" value="{html.Encode(tokens.RequestToken!)}">
              <label>Document type (证件类型) <select name="DocumentType">
                <option value="1">居民身份证</option><option value="2">护照</option><option value="3">港澳台居民居住证</option>
              </select></label>
              <label>Document number (证件号码) <input name="DocumentNumber" autocomplete="off" required></label>
              <label>Name (姓名) <input name="Name" autocomplete="name" required></label>
              <label>User name (用户名) <input name="UserName" autocomplete="username" required></label>
              <label>Password (密码, ≥ {PasswordPolicy.MinLength}, letters and digits) <input name="Password" type="password" autocomplete="new-password" required></label>
              <label>Phone or e-mail (联系方式) <input name="Contact" autocomplete="tel"></label>
              <button type="submit">Register (注册)</button>
            </form>
            </body></html>
            """;
        return Results.Content(body, "text/html; charset=utf-8", statusCode: status);
    }
}
