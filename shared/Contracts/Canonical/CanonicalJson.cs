using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CreditBank.Contracts.Canonical;

/// <summary>
/// The JSON Canonicalization Scheme (RFC 8785, JCS) for the shapes the bank hashes and signs: objects, arrays,
/// strings, finite numbers, booleans and null. Members sorted by their names' UTF-16 code units, no whitespace,
/// strings escaped as ECMAScript's <c>JSON.stringify</c> escapes them, numbers as ECMAScript prints a double.
/// </summary>
/// <remarks>
/// It lives beside the contracts because hashes of definitions travel in events (<see cref="Events.OutcomeFacts"/>,
/// <see cref="Events.ConvertedItem"/>) and whoever checks one must canonicalise exactly as the bank did.
/// </remarks>
public static class CanonicalJson
{
    /// <summary>The canonical form of <paramref name="node"/> as text.</summary>
    public static string Serialize(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, text);
        return text.ToString();
    }

    /// <summary>The canonical form as UTF-8 bytes: what is hashed and signed.</summary>
    public static byte[] Utf8(JsonNode? node) => Encoding.UTF8.GetBytes(Serialize(node));

    /// <summary>Lower-case hex SHA-256 of the canonical form: how the bank names "this exact definition".</summary>
    public static string Sha256Hex(JsonNode? node) => Convert.ToHexStringLower(SHA256.HashData(Utf8(node)));

    /// <summary>As <see cref="Sha256Hex(JsonNode?)"/>, for a JSON text (parsed first, so its own spacing and member order do not count).</summary>
    public static string Sha256Hex(string json) => Sha256Hex(JsonNode.Parse(json));

    private static void Write(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        text.Append(',');
                    }

                    first = false;
                    WriteString(name, text);
                    text.Append(':');
                    Write(value, text);
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }

                    Write(array[i], text);
                }

                text.Append(']');
                break;
            case JsonValue value:
                WriteValue(value, text);
                break;
        }
    }

    private static void WriteValue(JsonValue value, StringBuilder text)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(value.GetValue<string>(), text);
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Null:
                text.Append("null");
                break;
            case JsonValueKind.Number:
                text.Append(Number(ToDouble(value)));
                break;
            default:
                throw new ArgumentException($"Cannot canonicalise a JSON value of kind {value.GetValueKind()}.");
        }
    }

    /// <summary>
    /// The number as a double, whatever CLR type the node holds (int, long, decimal, double, a parsed element): its own
    /// JSON text read back, which is exact for every type a double can hold and rounds others as ECMAScript would.
    /// </summary>
    private static double ToDouble(JsonValue value) =>
        value.TryGetValue<double>(out var d) ? d : double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A double as ECMAScript's Number.prototype.toString prints it (RFC 8785 §3.2.2.3).</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentException("JSON has no NaN or Infinity.", nameof(value));
        }

        if (value == 0)
        {
            return "0"; // also -0
        }

        // .NET's "R" is the shortest text that round-trips, as ECMAScript's is; only the layout differs.
        var roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = value < 0;
        var (digits, exponent) = Decompose(roundTrip.TrimStart('-'));
        var k = digits.Length;
        var n = exponent; // value = 0.digits × 10^n
        var result = new StringBuilder();
        if (negative)
        {
            result.Append('-');
        }

        if (k <= n && n <= 21)
        {
            result.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            result.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            result.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            var e = n - 1;
            result.Append(digits[0]);
            if (k > 1)
            {
                result.Append('.').Append(digits, 1, k - 1);
            }

            result.Append('e').Append(e < 0 ? '-' : '+').Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }

        return result.ToString();
    }

    /// <summary>Significant digits (no leading or trailing zeros) and n such that the value is 0.digits × 10^n.</summary>
    private static (string Digits, int N) Decompose(string text)
    {
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var point = text.IndexOf('.');
        var integerPart = point >= 0 ? text[..point] : text;
        var fraction = point >= 0 ? text[(point + 1)..] : string.Empty;
        var all = integerPart + fraction;
        var n = integerPart.Length + exponent;
        var leading = 0;
        while (leading < all.Length - 1 && all[leading] == '0')
        {
            leading++;
        }

        all = all[leading..];
        n -= leading;
        all = all.TrimEnd('0');
        return (all.Length == 0 ? "0" : all, n);
    }

    private static void WriteString(string value, StringBuilder text)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }
}
