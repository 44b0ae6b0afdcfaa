using System.Text.RegularExpressions;

namespace CreditBank.Hardening.Tests;

/// <summary>
/// The docs point at what exists: every Markdown link between README.md and docs/*.md reaches a page and, with a
/// <c>#fragment</c>, one of its headings (as GitHub makes their anchors); every page they name (<c>docs/x.md</c>) exists;
/// every repository path they name in backticks (<c>services/…</c>, <c>shared/…</c>, <c>tests/…</c> …) exists, so a
/// moved file cannot leave the docs behind.
/// </summary>
public sealed partial class DocumentLinks
{
    [Fact]
    public void Every_link_between_the_docs_resolves()
    {
        var broken = new List<string>();
        var links = 0;
        foreach (var page in DocumentedExamples.MarkdownPages())
        {
            foreach (Match link in Link().Matches(Prose(page)))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                links++;
                var (file, fragment) = target.Split('#', 2) is [var f, var a] ? (f, a) : (target, null);
                var linked = file.Length == 0 ? page : Normalise(Path.Combine(Path.GetDirectoryName(page)!, file));
                if (!File.Exists(Path.Combine(ErrorReasons.Root(), linked)) && !Directory.Exists(Path.Combine(ErrorReasons.Root(), linked)))
                {
                    broken.Add($"{page}: {target} (no {linked})");
                }
                else if (fragment is not null && !Anchors(linked).Contains(fragment))
                {
                    broken.Add($"{page}: {target} (no heading #{fragment} in {linked})");
                }
            }
        }

        Assert.True(links > 20, $"Only {links} links found between the docs: the search is broken.");
        Assert.True(broken.Count == 0, $"Links that lead nowhere:\n{string.Join('\n', broken)}");
    }

    [Fact]
    public void Every_page_and_repository_path_the_docs_name_exists()
    {
        var root = ErrorReasons.Root();
        var missing = new List<string>();
        var named = 0;
        foreach (var page in DocumentedExamples.MarkdownPages())
        {
            var text = File.ReadAllText(Path.Combine(root, page));
            foreach (var path in NamedPage().Matches(text).Select(m => m.Value)
                         .Select(p => p.StartsWith("docs/", StringComparison.Ordinal) || p == "README.md" ? p : "docs/" + p)
                         .Concat(RepositoryPath().Matches(text).Select(m => m.Groups["path"].Value.TrimEnd('/', '.', ',')))
                         .Where(p => !p.Contains('*') && !p.Contains('…') && !p.Contains('<') && !p.Contains('{'))
                         .Distinct())
            {
                named++;
                if (!File.Exists(Path.Combine(root, path)) && !Directory.Exists(Path.Combine(root, path)))
                {
                    missing.Add($"{page}: {path}");
                }
            }
        }

        Assert.True(named > 40, $"Only {named} paths found in the docs: the search is broken.");
        Assert.True(missing.Count == 0, $"The docs name what does not exist:\n{string.Join('\n', missing)}");
    }

    /// <summary>The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    private static HashSet<string> Anchors(string page)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(Prose(page)))
        {
            var anchor = NotInAnchor().Replace(heading.Groups["title"].Value.Trim().ToLowerInvariant(), string.Empty).Replace(' ', '-');
            var numbered = anchor;
            for (var n = 1; !anchors.Add(numbered); n++)
            {
                numbered = $"{anchor}-{n}";
            }
        }

        return anchors;
    }

    /// <summary>A page without its fenced code blocks: a <c>#</c> comment in a shell block is not a heading.</summary>
    private static string Prose(string page) =>
        Fenced().Replace(File.ReadAllText(Path.Combine(ErrorReasons.Root(), page)).ReplaceLineEndings("\n"), string.Empty);

    private static string Normalise(string path) => Path.GetRelativePath(ErrorReasons.Root(), Path.GetFullPath(Path.Combine(ErrorReasons.Root(), path)))
        .Replace(Path.DirectorySeparatorChar, '/');

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6} (?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{N}\p{Mn} _-]")]
    private static partial Regex NotInAnchor();

    [GeneratedRegex("^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fenced();

    /// <summary>A docs page named in the text: <c>docs/operations.md</c>, <c>performance.md</c>.</summary>
    [GeneratedRegex(@"(?<![\w/.-])(?:docs/)?[a-z]+\.md\b|(?<![\w/.-])README\.md\b")]
    private static partial Regex NamedPage();

    /// <summary>A repository path in backticks: <c>`services/Recognition/Data/Seed/institutions.json`</c>.</summary>
    [GeneratedRegex(@"`(?<path>(?:services|shared|tests|scripts|k8s|docs)/[^`\s]*)`")]
    private static partial Regex RepositoryPath();
}
