using System.Text.RegularExpressions;

namespace CreditBank.Hardening.Tests;

/// <summary>
/// docs/errors.md lists every reason the services can answer: every reason the source passes to the error model
/// (Problems.*, field violations, batch line and rule file problems) is on the page. A new reason that is not listed
/// fails here, before any caller meets it; the corpus also checks every reason it hears.
/// </summary>
public sealed partial class ErrorReasons
{
    /// <summary>The reasons docs/errors.md lists (every UPPER_SNAKE_CASE word in backticks).</summary>
    public static IReadOnlySet<string> Listed() => ListedReason().Matches(File.ReadAllText(Path.Combine(Root(), "docs", "errors.md")))
        .Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Every_reason_the_services_can_answer_is_listed_in_docs_errors_md()
    {
        var listed = Listed();
        var used = Used().ToList();

        var unlisted = used.Where(u => !listed.Contains(u.Reason)).Select(u => $"{u.Reason} ({u.File})").Distinct().ToList();

        Assert.True(used.Count > 60, $"Only {used.Count} reasons found in the source: the search is broken.");
        Assert.True(unlisted.Count == 0, $"Reasons answered but not listed in docs/errors.md:\n{string.Join('\n', unlisted)}");
    }

    /// <summary>Reasons as the source hands them to the error model.</summary>
    private static IEnumerable<(string Reason, string File)> Used()
    {
        var root = Root();
        var files = new[] { "services", "shared" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains("Migrations", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (var pattern in new[] { ProblemsCall(), ReasonProperty(), TrailingReason(), RuleProblem(), Built(), EitherReason() })
            {
                foreach (Match match in pattern.Matches(text))
                {
                    foreach (var group in match.Groups.Cast<Group>().Skip(1).Where(g => g.Success))
                    {
                        yield return (group.Value, Path.GetRelativePath(root, file));
                    }
                }
            }
        }
    }

    public static string Root()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CreditBank.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("No CreditBank.sln above the tests.");
    }

    [GeneratedRegex("`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`")]
    private static partial Regex ListedReason();

    /// <summary><c>Problems.InvalidArgument("REASON", …)</c> and the other codes.</summary>
    [GeneratedRegex(@"Problems\.[A-Za-z]+\(\s*""([A-Z][A-Z0-9_]+)""")]
    private static partial Regex ProblemsCall();

    /// <summary><c>Reason = "REASON"</c> in a FieldViolation or LineViolation.</summary>
    [GeneratedRegex(@"Reason = ""([A-Z][A-Z0-9_]+)""")]
    private static partial Regex ReasonProperty();

    /// <summary>A reason as the last argument: <c>violations.Add(field, description, "REASON")</c>, <c>Amount(…, "REASON")</c>.</summary>
    [GeneratedRegex(@",\s*""([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)""(?:,\s*minExclusive: true)?\)")]
    private static partial Regex TrailingReason();

    /// <summary>Inside Problems: <c>Build(Code.ResourceExhausted, "REASON", …)</c>.</summary>
    [GeneratedRegex(@"Build\(Code\.[A-Za-z]+,\s*""([A-Z][A-Z0-9_]+)""")]
    private static partial Regex Built();

    /// <summary>A reason chosen between two: <c>cond ? "REASON_A" : "REASON_B"</c>.</summary>
    [GeneratedRegex(@"\?\s*""([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)""\s*:\s*""([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)""")]
    private static partial Regex EitherReason();

    /// <summary>Rule file problems: <c>problems.Add(field, "REASON", description)</c>.</summary>
    [GeneratedRegex(@"\.Add\([^,()]+,\s*""([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"",")]
    private static partial Regex RuleProblem();
}
