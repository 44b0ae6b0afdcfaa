using System.Buffers.Text;
using System.Text;

namespace CreditBank.Grpc;

/// <summary>Opaque page tokens (AIP-158): a keyset position, bound to the query it came from.</summary>
public static class PageToken
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;

    /// <summary>0 → the default; above the maximum → the maximum; negative → InvalidArgument.</summary>
    public static int Size(int requested) => requested switch
    {
        < 0 => throw Problems.InvalidArgument("INVALID_PAGE_SIZE", "page_size must not be negative.",
            [new() { Field = "page_size", Reason = "INVALID_PAGE_SIZE", Description = "page_size must be 0 (the default, 50) or a positive number up to 1000." }]),
        0 => DefaultPageSize,
        > MaxPageSize => MaxPageSize,
        _ => requested,
    };

    public static string Encode(string scope, long position) => Encode(scope, position.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A keyset position that is more than one number (e.g. a time and an id), as text.</summary>
    public static string Encode(string scope, string position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{scope}|{position}"));

    /// <summary>A token for a keyset of two numbers (e.g. a transaction id and a position).</summary>
    public static string Encode(string scope, long first, long second) => Encode($"{scope}|{first}", second);

    /// <summary>The two numbers after which the next page starts ((0, 0) for the first page).</summary>
    public static (long First, long Second) Decode2(string? token, string scope)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (0, 0);
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var parts = text.Split('|');
            if (parts.Length == 3 && parts[0] == scope && long.TryParse(parts[1], out var first) && first >= 0)
            {
                return (first, Decode(token, $"{scope}|{first}"));
            }
        }
        catch (FormatException)
        {
        }

        throw Invalid();
    }

    /// <summary>The position after which the next page starts (0 for the first page).</summary>
    public static long Decode(string? token, string scope) =>
        DecodeText(token, scope) is not { } text ? 0
        : long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position) ? position
        : throw Invalid();

    /// <summary>The text position after which the next page starts; null for the first page.</summary>
    public static string? DecodeText(string? token, string scope)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var bar = text.LastIndexOf('|');
            if (bar > 0 && text[..bar] == scope && bar < text.Length - 1)
            {
                return text[(bar + 1)..];
            }
        }
        catch (FormatException)
        {
        }

        throw Invalid();
    }

    /// <summary>A token this list did not issue, or whose position does not read.</summary>
    public static global::Grpc.Core.RpcException Invalid() =>
        Problems.InvalidArgument("INVALID_PAGE_TOKEN", "page_token is not one this list issued.",
            [new() { Field = "page_token", Reason = "INVALID_PAGE_TOKEN", Description = "Pass the next_page_token of the previous page of the same list, unchanged." }]);
}
