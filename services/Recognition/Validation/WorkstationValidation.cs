using System.Text.RegularExpressions;
using CreditBank.Grpc;

namespace CreditBank.Recognition.Validation;

/// <summary>The rules of the workstation administration requests: codes, names, districts (行政区划代码), reviewer subjects.</summary>
internal static partial class WorkstationValidation
{
    public const int NameLength = 100;

    /// <summary>Enough for a city's districts and counties; the column holds 2,000 characters.</summary>
    public const int MaxDistricts = 200;

    public static string Code(string value, FieldViolations violations)
    {
        var code = violations.Text("workstation_code", value, 40, "The workstation code (工作站)");
        if (code.Length > 0 && !CodePattern().IsMatch(code))
        {
            violations.Add("workstation_code", "A workstation code is upper-case letters, digits and hyphens, e.g. WS-WANZHOU.", "INVALID_WORKSTATION_CODE");
        }

        return code;
    }

    public static string Name(string value, FieldViolations violations) =>
        violations.Text("name", value, NameLength, "The workstation's name");

    /// <summary>Six-digit 行政区划代码, each once; at least one.</summary>
    public static IReadOnlyList<string> Districts(IReadOnlyList<string> given, FieldViolations violations)
    {
        if (given.Count == 0)
        {
            violations.Add("district_codes", "Name at least one district (行政区划代码, six digits) the workstation serves.", "REQUIRED_FIELD");
            return [];
        }

        if (given.Count > MaxDistricts)
        {
            violations.Add("district_codes", $"At most {MaxDistricts} districts per workstation.", "TOO_MANY_DISTRICTS");
            return [];
        }

        for (var i = 0; i < given.Count; i++)
        {
            if (given[i].Length != 6 || !given[i].All(char.IsAsciiDigit) || given[i][..2] == "00")
            {
                violations.Add($"district_codes[{i}]", "A district is a six-digit 行政区划代码, e.g. 500155 (梁平区).", "INVALID_DISTRICT_CODE");
            }
        }

        if (given.Distinct(StringComparer.Ordinal).Count() != given.Count)
        {
            violations.Add("district_codes", "Each district is named once.", "DUPLICATE_DISTRICT_CODE");
        }

        return given.ToList();
    }

    /// <summary>A reviewer's subject: the <c>sub</c> of their token (no commas: the list is stored joined by them).</summary>
    public static string ReviewerSubject(string value, FieldViolations violations)
    {
        var subject = violations.Text("reviewer_subject", value, 120, "The reviewer's subject (their person id)");
        if (subject.Contains(',', StringComparison.Ordinal) || subject.Any(char.IsWhiteSpace))
        {
            violations.Add("reviewer_subject", "A subject has no commas or spaces: use the sub of the reviewer's token.", "INVALID_REVIEWER_SUBJECT");
        }

        return subject;
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]*$")]
    private static partial Regex CodePattern();
}
