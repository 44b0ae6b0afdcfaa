using System.Globalization;
using System.Text;

namespace CreditBank.Grpc.Validation;

/// <summary>
/// What any text a caller sends must be before the bank keeps it, whatever the contract: Unicode without control
/// characters, unpaired surrogates, noncharacters or the replacement character (the trace of a wrong decoding), in
/// Normalization Form C, without surrounding white space.
/// </summary>
public static class Text
{
    /// <summary>How much of a bad value an error repeats: enough to find it, never the value itself when it is long.</summary>
    public const int EchoLength = 24;

    /// <summary>The value trimmed and NFC-normalised; null (with <paramref name="problem"/>) when a character is not allowed.</summary>
    public static string? Clean(string? value, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                var scalar = char.ConvertToUtf32(c, value[i + 1]);
                if ((scalar & 0xFFFE) == 0xFFFE)
                {
                    problem = $"contains the noncharacter U+{scalar:X} at position {i + 1}";
                    return null;
                }

                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                problem = $"contains an unpaired surrogate (U+{(int)c:X4}) at position {i + 1}: it is not valid Unicode text";
                return null;
            }

            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r') || c is '\u2028' or '\u2029')
            {
                problem = $"contains the control character U+{(int)c:X4} at position {i + 1}";
                return null;
            }

            if (c is '\t' or '\n' or '\r')
            {
                problem = $"contains a tab or line break at position {i + 1}; write it on one line";
                return null;
            }

            if (c == '\uFFFD')
            {
                problem = $"contains U+FFFD (the replacement character) at position {i + 1}: the text was decoded with the wrong encoding (乱码)";
                return null;
            }

            if (c is >= '\uFDD0' and <= '\uFDEF' or '\uFFFE' or '\uFFFF')
            {
                problem = $"contains the noncharacter U+{(int)c:X4} at position {i + 1}";
                return null;
            }
        }

        var trimmed = value.Trim();
        return trimmed.IsNormalized(NormalizationForm.FormC) ? trimmed : trimmed.Normalize(NormalizationForm.FormC);
    }

    /// <summary>Like <see cref="Clean(string?, out string?)"/> but line breaks and tabs are allowed (comments, criteria).</summary>
    public static string? CleanMultiline(string? value, out string? problem)
    {
        if (string.IsNullOrEmpty(value))
        {
            problem = null;
            return string.Empty;
        }

        var lines = value.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = Clean(lines[i].Replace('\t', ' '), out problem) ?? string.Empty;
            if (problem is not null)
            {
                return null;
            }
        }

        problem = null;
        return string.Join('\n', lines).Trim();
    }

    /// <summary>Length as a person counts it: user-perceived characters (a CJK character or an emoji is one).</summary>
    public static int Length(string value)
    {
        var ascii = true;
        foreach (var c in value)
        {
            if (c > 0x7F)
            {
                ascii = false;
                break;
            }
        }

        return ascii ? value.Length : new StringInfo(value).LengthInTextElements;
    }

    /// <summary>
    /// A short prefix of a value for an error message, with anything unprintable shown as <c>\uXXXX</c>: errors repeat
    /// at most <see cref="EchoLength"/> characters of what was sent (a 1 MB value must not come back twice in the answer).
    /// </summary>
    public static string Echo(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var echo = new StringBuilder(EchoLength + 8);
        var i = 0;
        for (var shown = 0; i < value.Length && shown < EchoLength; i++, shown++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                echo.Append(c).Append(value[++i]);
            }
            else if (char.IsControl(c) || char.IsSurrogate(c) || c is '\uFFFD' or '\u2028' or '\u2029')
            {
                echo.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                echo.Append(c);
            }
        }

        return i < value.Length ? echo.Append('…').ToString() : echo.ToString();
    }
}
