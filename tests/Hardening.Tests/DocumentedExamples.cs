using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace CreditBank.Hardening.Tests;

/// <summary>
/// The examples in the docs run as written, so that the docs cannot drift from the bank. A page marks a runnable
/// example with an HTML comment directly above its <c>```sh</c> block:
/// <c>&lt;!-- run: '"status":"OUTCOME_STATUS_RECOGNISED"' '"credits":3' --&gt;</c> — the block must exit 0 and print
/// each quoted text (JSON compared without the spaces around its punctuation), and any <c>curl</c> in it must get an
/// HTTP status below 400 (<c>--fail-with-body</c>). <c>&lt;!-- run refused: '…' --&gt;</c> marks a block that shows an
/// error: its curl may get one, and it must print the quoted reason. A page's runnable blocks run in order in one bash,
/// so later blocks use the tokens and ids earlier ones kept, against the standalone host as <c>make run</c> starts it
/// (its own process and data, demo data loaded; this test's ports put in place of 5000 and 5001). Blocks without the
/// comment (grpcurl, which Debian does not package; a distributed bank's ports) are shown, not run.
/// </summary>
public sealed partial class DocumentedExamples(StandaloneBank bank) : IClassFixture<StandaloneBank>
{
    /// <summary>The portal's registered redirect address: a name the identity service matches, not an address called.</summary>
    private const string RedirectUri = "http://127.0.0.1:5000/signin-callback";

    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string>();
        foreach (var page in MarkdownPages().Where(p => Examples(p).Count > 0))
        {
            pages.Add(page);
        }

        return pages;
    }

    [Fact]
    public void The_readme_and_the_api_page_have_runnable_examples_for_every_route()
    {
        Assert.NotEmpty(Examples("README.md"));
        var api = string.Join('\n', Examples("docs/api.md").Select(e => e.Script));
        var routes = Routes().ToList();
        var missing = routes.Where(route => !route.Called.IsMatch(api)).Select(route => route.Rpc).ToList();

        Assert.True(routes.Count >= 25, $"Only {routes.Count} REST routes found in the protos: the search is broken.");
        Assert.True(missing.Count == 0, $"RPCs with no runnable REST example in docs/api.md: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_examples_of_a_page_run_against_the_bank_as_make_run_starts_it(string page)
    {
        var examples = Examples(page);
        var folder = Directory.CreateTempSubdirectory("creditbank-docs-").FullName;
        try
        {
            var script = Path.Combine(folder, "examples.sh");
            await File.WriteAllTextAsync(script, Script(examples), TestContext.Current.CancellationToken);
            var (exitCode, output, errors) = await RunAsync(script, folder);
            var printed = PrintedByBlock(output);

            var failedAt = printed.Count == 0 ? 0 : printed.Keys.Max();
            Assert.True(exitCode == 0,
                $"{page}: example {failedAt + 1} of {examples.Count} (line {examples[failedAt].Line}) failed with exit code {exitCode}.\n" +
                $"It printed:\n{Tail(printed.GetValueOrDefault(failedAt, string.Empty))}\nStandard error:\n{Tail(errors)}");
            var unmet = examples.SelectMany((example, i) => example.Expected
                    .Where(expected => !Compact(printed.GetValueOrDefault(i, string.Empty)).Contains(Compact(expected), StringComparison.Ordinal))
                    .Select(expected => $"example {i + 1} (line {example.Line}) did not print {expected}; it printed:\n{Tail(printed.GetValueOrDefault(i, string.Empty))}"))
                .ToList();
            Assert.True(unmet.Count == 0, $"{page}:\n{string.Join("\n", unmet)}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>One bash script for a page: each block after a marker line, curl failing on HTTP errors unless the block shows one.</summary>
    private string Script(IReadOnlyList<Example> examples)
    {
        var script = new StringBuilder("set -euo pipefail\n");
        for (var i = 0; i < examples.Count; i++)
        {
            script.Append($"echo '::example {i}::'\n");
            script.Append(examples[i].Refused ? "unset -f curl\n" : "curl() { command curl --fail-with-body \"$@\"; }\n");
            script.Append(OnThisBank(examples[i].Script)).Append("\necho\n");
        }

        return script.ToString();
    }

    /// <summary>The host's ports for make run's 5000 (REST) and 5001 (gRPC), the portal's redirect address left as registered.</summary>
    private string OnThisBank(string script) => script
        .Replace(RedirectUri, "\u0001").Replace(Uri.EscapeDataString(RedirectUri), "\u0002")
        .Replace("http://127.0.0.1:5000", $"http://127.0.0.1:{bank.Rest.Port}")
        .Replace("127.0.0.1:5001", $"127.0.0.1:{bank.Grpc.Port}")
        .Replace("\u0001", RedirectUri).Replace("\u0002", Uri.EscapeDataString(RedirectUri));

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string script, string folder)
    {
        var start = new ProcessStartInfo("bash", [script])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The examples did not finish within 3 minutes:\n{Tail(await output)}");
        }

        return (process.ExitCode, await output, await errors);
    }

    private static Dictionary<int, string> PrintedByBlock(string output) => ExampleMarker().Split(output) is var parts
        ? Enumerable.Range(0, (parts.Length - 1) / 2).ToDictionary(i => int.Parse(parts[1 + (2 * i)]), i => parts[2 + (2 * i)])
        : [];

    /// <summary>JSON as a comparison sees it: no spaces around its punctuation, so pretty-printed and compact answers match.</summary>
    private static string Compact(string text) => AroundPunctuation().Replace(text, "$1");

    private static string Tail(string text) => text.Length <= 3000 ? text : "…" + text[^3000..];

    public sealed record Example(int Line, string Script, IReadOnlyList<string> Expected, bool Refused);

    /// <summary>The runnable examples of a page (a path from the repository's root), in order.</summary>
    public static IReadOnlyList<Example> Examples(string page)
    {
        var text = File.ReadAllText(Path.Combine(ErrorReasons.Root(), page)).ReplaceLineEndings("\n");
        return RunnableBlock().Matches(text).Select(m => new Example(
                text[..m.Index].Count(c => c == '\n') + 1,
                m.Groups["script"].Value,
                Quoted().Matches(m.Groups["expects"].Value).Select(q => q.Groups[1].Value).ToList(),
                m.Groups["refused"].Success))
            .ToList();
    }

    /// <summary>README.md and every page under docs/, as paths from the repository's root.</summary>
    public static IEnumerable<string> MarkdownPages() =>
        new[] { "README.md" }.Concat(Directory.EnumerateFiles(Path.Combine(ErrorReasons.Root(), "docs"), "*.md").Order()
            .Select(f => "docs/" + Path.GetFileName(f)));

    /// <summary>Every RPC with a REST route in the protos, and that route as an example calls it (a path parameter as a value or a variable).</summary>
    private static IEnumerable<(string Rpc, Regex Called)> Routes()
    {
        var protos = Directory.EnumerateFiles(Path.Combine(ErrorReasons.Root(), "shared", "Contracts", "Protos"), "*.proto", SearchOption.AllDirectories);
        foreach (var proto in protos)
        {
            foreach (Match rpc in RestRoute().Matches(File.ReadAllText(proto)))
            {
                var path = PathParameter().Replace(Regex.Escape(rpc.Groups["path"].Value), """[^/?\s"']+""");
                yield return (rpc.Groups["rpc"].Value, new Regex($"""http://127\.0\.0\.1:5000{path}(?=[?\s"';|)]|$)""", RegexOptions.Multiline));
            }
        }
    }

    [GeneratedRegex("""<!-- run(?<refused> refused)?:?(?<expects>[^\n]*?)-->\n```sh\n(?<script>.*?)```""", RegexOptions.Singleline)]
    private static partial Regex RunnableBlock();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"::example (\d+)::\n")]
    private static partial Regex ExampleMarker();

    [GeneratedRegex(@"\s*([{}\[\]:,])\s*")]
    private static partial Regex AroundPunctuation();

    /// <summary>A path parameter as Regex.Escape leaves it: <c>\{outcome_id}</c>.</summary>
    [GeneratedRegex(@"\\\{[a-z_]+}")]
    private static partial Regex PathParameter();

    [GeneratedRegex("""rpc (?<rpc>\w+)\([^)]*\)[^{;]*\{[^}]*?(?:get|post|put|patch|delete):\s*"(?<path>[^"]+)"[^}]*\}""", RegexOptions.Singleline)]
    private static partial Regex RestRoute();
}
