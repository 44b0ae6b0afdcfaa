using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CreditBank.Credentials.Tests;

/// <summary>What the independent checker said: verified, revoked or invalid, why, and for a transcript each entry.</summary>
public sealed record CheckerVerdict(int ExitCode, string Status, IReadOnlyList<string> Reasons, IReadOnlyList<string> EntryStatuses, string SchemaCheck, string Output);

/// <summary>
/// Runs tests/CredentialChecker — Node with jose and @digitalbazaar/vc-bitstring-status-list, not the bank's code — on
/// files this test writes (the credential, the JWK Set and the status lists as the bank serves them), in a network
/// namespace of its own with no network at all (<c>unshare --net</c>): nothing can be fetched.
/// </summary>
public static class Checker
{
    private static readonly string Folder = FindChecker();

    public static async Task<CheckerVerdict> CheckAsync(CredentialsBank bank, string jwt, CancellationToken ct, string? jwks = null)
    {
        var dir = Directory.CreateTempSubdirectory("creditbank-checker-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "credential.jwt"), jwt, ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "jwks.json"), jwks ?? await bank.TextAsync("http://localhost/.well-known/jwks.json", ct), ct);
        var lists = new JsonObject();
        var n = 0;
        foreach (var url in StatusListsOf(jwt))
        {
            var file = $"status-{++n}.jwt";
            await File.WriteAllTextAsync(Path.Combine(dir, file), await bank.TextAsync(url, ct), ct);
            lists[url] = file;
        }

        await File.WriteAllTextAsync(Path.Combine(dir, "status.json"), lists.ToJsonString(), ct);
        return await RunAsync([Path.Combine(Folder, "check.mjs"), dir], ct);
    }

    public static async Task<CheckerVerdict> CheckDecisionAsync(CredentialsBank bank, string canonicalJson, string detachedJws, CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("creditbank-checker-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "jwks.json"), await bank.TextAsync("http://localhost/.well-known/jwks.json", ct), ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "decision.json"),
            new JsonObject { ["canonicalJson"] = canonicalJson, ["detachedJws"] = detachedJws }.ToJsonString(), ct);
        return await RunAsync([Path.Combine(Folder, "check.mjs"), "--decision", dir], ct);
    }

    /// <summary>Only the schema check (ajv against tests/CredentialChecker/schemas) of one credential's JSON, no signature.</summary>
    public static async Task<CheckerVerdict> CheckSchemaAsync(JsonObject credential, CancellationToken ct)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("creditbank-checker-").FullName, "credential.json");
        await File.WriteAllTextAsync(file, credential.ToJsonString(), ct);
        return await RunAsync([Path.Combine(Folder, "check.mjs"), "--schema", file], ct);
    }

    private static IEnumerable<string> StatusListsOf(string jwt)
    {
        var payload = CredentialsBank.Payload(jwt);
        var urls = new HashSet<string>();
        if (payload["credentialStatus"]?["statusListCredential"]?.GetValue<string>() is { } own)
        {
            urls.Add(own);
        }

        foreach (var embedded in payload["credentialSubject"]?["verifiableCredential"]?.AsArray() ?? [])
        {
            if (embedded?["credentialStatus"]?["statusListCredential"]?.GetValue<string>() is { } url)
            {
                urls.Add(url);
            }
        }

        return urls;
    }

    private static async Task<CheckerVerdict> RunAsync(string[] arguments, CancellationToken ct)
    {
        // A network namespace of its own, with no interface up: the checker runs with networking off.
        var start = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Folder };
        foreach (var argument in (string[])["--map-root-user", "--net", "--", "node", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var text = await output;
        Assert.True(process.ExitCode is >= 0 and <= 2, $"The checker could not run (exit {process.ExitCode}): {await error}{text}");
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        return new CheckerVerdict(
            process.ExitCode,
            root.GetProperty("status").GetString()!,
            [.. root.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()!)],
            [.. root.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("status").GetString()!)],
            root.TryGetProperty("schemaCheck", out var schema) ? schema.GetString()! : string.Empty,
            text);
    }

    private static string FindChecker()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "CredentialChecker");
            if (File.Exists(Path.Combine(candidate, "check.mjs")))
            {
                return File.Exists(Path.Combine(candidate, "node_modules", "jose", "package.json"))
                    ? candidate
                    : throw new InvalidOperationException($"The checker's npm packages are not installed: run `npm ci` in {candidate} (make test does).");
            }
        }

        throw new InvalidOperationException("tests/CredentialChecker not found above " + AppContext.BaseDirectory);
    }
}
