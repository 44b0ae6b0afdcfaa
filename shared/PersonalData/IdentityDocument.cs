using System.Text.RegularExpressions;

namespace CreditBank.PersonalData;

/// <summary>Kinds of identity document (证件类型) a learner account is keyed by.</summary>
public enum DocumentType
{
    /// <summary>居民身份证.</summary>
    ResidentIdCard = 1,

    /// <summary>护照.</summary>
    Passport = 2,

    /// <summary>港澳台居民居住证 (same 18-character shape as the 居民身份证, starting 81/82/83).</summary>
    HmtResidencePermit = 3,
}

/// <summary>A normalised, validated identity document number.</summary>
public sealed partial record IdentityDocument
{
    private IdentityDocument(DocumentType type, string number)
    {
        Type = type;
        Number = number;
    }

    public DocumentType Type { get; }

    /// <summary>Normalised: trimmed, upper case, full-width characters folded to ASCII.</summary>
    public string Number { get; }

    /// <summary>
    /// The first two digits (省级行政区划代码) of the 34 province-level divisions of GB/T 2260: a 居民身份证 starts with one
    /// of them. Only the province is checked, not the district of the next four digits: a table of every county-level
    /// code changes every year, and a wrong province is what a mistyped or invented number mostly shows.
    /// </summary>
    private static readonly HashSet<string> Provinces =
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44",
        "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
    ];

    /// <summary>港澳台居民居住证: 810000 (香港), 820000 (澳门), 830000 (台湾).</summary>
    private static readonly HashSet<string> ResidencePermitRegions = ["81", "82", "83"];

    /// <summary>The earliest birth date a learner's document may show.</summary>
    public static readonly DateOnly EarliestBirthDate = new(1900, 1, 1);

    /// <summary>Validates and normalises; on failure says, in words a clerk can act on, what is wrong.</summary>
    /// <remarks>A birth date must not be after today in Beijing (UTC+8).</remarks>
    public static bool TryParse(DocumentType type, string? raw, out IdentityDocument? document, out string? problem) =>
        TryParse(type, raw, DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)), out document, out problem);

    /// <summary>Validates and normalises against <paramref name="today"/> (the latest plausible birth date).</summary>
    public static bool TryParse(DocumentType type, string? raw, DateOnly today, out IdentityDocument? document, out string? problem)
    {
        document = null;
        var number = Normalise(raw);
        problem = number.Length == 0
            ? "The document number (证件号码) is required."
            : type switch
            {
                DocumentType.ResidentIdCard => ResidentIdProblem(number, Provinces, today),
                DocumentType.HmtResidencePermit => ResidentIdProblem(number, ResidencePermitRegions, today),
                DocumentType.Passport => PassportPattern().IsMatch(number)
                    ? null
                    : "A passport number (护照号码) is 5 to 20 letters and digits.",
                _ => "The document type (证件类型) is not one the bank accepts.",
            };
        if (problem is not null)
        {
            return false;
        }

        document = new IdentityDocument(type, number);
        return true;
    }

    public override string ToString() => $"{Type}:{Masking.Mask(Number)}";

    private static string Normalise(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return string.Empty;
        }

        Span<char> buffer = stackalloc char[Math.Min(raw.Length, 64)];
        var length = 0;
        foreach (var c in raw.AsSpan().Trim())
        {
            if (length == buffer.Length)
            {
                return raw.Trim().ToUpperInvariant(); // absurdly long: let validation reject it as it is
            }

            // Full-width ASCII (U+FF01..U+FF5E) as typed by Chinese input methods.
            var folded = c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c;
            buffer[length++] = char.ToUpperInvariant(folded);
        }

        return new string(buffer[..length]);
    }

    private static string? ResidentIdProblem(string number, HashSet<string> regions, DateOnly today)
    {
        if (!ResidentIdPattern().IsMatch(number))
        {
            return "A 居民身份证 number is 17 digits followed by a digit or X (18 characters in all).";
        }

        if (!regions.Contains(number[..2]))
        {
            return regions == Provinces
                ? $"A 居民身份证 number starts with the code of a province (省级行政区划代码, e.g. 50 重庆, 51 四川); {number[..2]} is none."
                : "A 港澳台居民居住证 number starts with 81 (香港), 82 (澳门) or 83 (台湾).";
        }

        if (!DateOnly.TryParseExact(number.AsSpan(6, 8), "yyyyMMdd", out var born))
        {
            return "The birth date in the 居民身份证 number (characters 7–14) is not a real date.";
        }

        if (born < EarliestBirthDate || born > today)
        {
            return $"The birth date in the 居民身份证 number (characters 7–14) is {born:yyyy-MM-dd}: not a birth date of a living learner (from {EarliestBirthDate:yyyy} to today).";
        }

        return CheckCharacter(number) == number[17]
            ? null
            : "The 居民身份证 check character (校验码, the 18th) does not match the first 17 digits; the number was probably mistyped.";
    }

    /// <summary>ISO 7064 MOD 11-2, as GB 11643-1999 specifies for the 18th character.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        ReadOnlySpan<int> weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * weights[i];
        }

        return "10X98765432"[sum % 11];
    }

    [GeneratedRegex("^[0-9]{17}[0-9X]$")]
    private static partial Regex ResidentIdPattern();

    [GeneratedRegex("^[A-Z0-9]{5,20}$")]
    private static partial Regex PassportPattern();
}
