using System.Globalization;
using CreditBank.Grpc.Validation;
using Google.Rpc;

namespace CreditBank.Grpc;

/// <summary>
/// Collects what is wrong with a request, field by field, so the caller hears about every mistake at once; and holds
/// the rules every contract shares (text, enums, numbers, dates, terms), so that gRPC, REST and batch lines are
/// checked by the same code.
/// </summary>
public sealed class FieldViolations
{
    /// <summary>No date before this one is a date of learning the bank records (nor a birth date of a learner).</summary>
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);

    private readonly List<BadRequest.Types.FieldViolation> _violations = [];

    /// <summary>The ErrorInfo reason of the first violation added with one, e.g. <c>INVALID_DOCUMENT_NUMBER</c>.</summary>
    public string? FirstReason { get; private set; }

    public bool Any => _violations.Count > 0;

    public IReadOnlyList<BadRequest.Types.FieldViolation> All => _violations;

    /// <param name="field">The path as in the request, e.g. <c>learner.document_number</c> or <c>course.grade.value</c>.</param>
    /// <param name="description">What is wrong and how to put it right.</param>
    /// <param name="reason">UPPER_SNAKE_CASE, listed in docs/errors.md.</param>
    public FieldViolations Add(string field, string description, string reason)
    {
        _violations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description, Reason = reason });
        FirstReason ??= reason;
        return this;
    }

    /// <summary>Field <c>field</c> must not be empty and must be well-formed text of at most <paramref name="maxLength"/> characters.</summary>
    public FieldViolations RequireText(string field, string? value, int maxLength, string label)
    {
        Text(field, value, maxLength, label);
        return this;
    }

    /// <summary>
    /// The text trimmed and NFC-normalised, or empty when it is missing (and <paramref name="required"/>), too long
    /// (<c>FIELD_TOO_LONG</c>) or holds a character no text may hold (<c>INVALID_TEXT</c>: control characters,
    /// unpaired surrogates, the replacement character of a wrong decoding).
    /// </summary>
    public string Text(string field, string? value, int maxLength, string label, bool required = true, bool multiline = false)
    {
        var clean = multiline ? Validation.Text.CleanMultiline(value, out var problem) : Validation.Text.Clean(value, out problem);
        if (clean is null)
        {
            Add(field, $"{label} {problem}; send plain text.", "INVALID_TEXT");
            return string.Empty;
        }

        if (clean.Length == 0)
        {
            if (required)
            {
                Add(field, $"{label} is required.", "REQUIRED_FIELD");
            }

            return string.Empty;
        }

        var length = Validation.Text.Length(clean);
        if (length > maxLength)
        {
            Add(field, $"{label} is {length} characters long; at most {maxLength} are allowed.", "FIELD_TOO_LONG");
            return string.Empty;
        }

        return clean;
    }

    /// <summary>
    /// A value of <typeparamref name="TEnum"/> that the contract defines and that is not its <c>…_UNSPECIFIED</c> zero:
    /// 0 is <c>REQUIRED_FIELD</c> (when required), a number the contract does not define (e.g. -1) <c>UNKNOWN_ENUM_VALUE</c>.
    /// </summary>
    public TEnum Enum<TEnum>(string field, TEnum value, string label, bool required = true)
        where TEnum : struct, System.Enum
    {
        var number = Convert.ToInt32(value, CultureInfo.InvariantCulture);
        if (number == 0)
        {
            if (required)
            {
                Add(field, $"{label} is required: {Choices<TEnum>()}.", "REQUIRED_FIELD");
            }
        }
        else if (!System.Enum.IsDefined(value))
        {
            Add(field, $"{label} {number} is not one the contract defines: {Choices<TEnum>()}.", "UNKNOWN_ENUM_VALUE");
            return default;
        }

        return value;
    }

    /// <summary>A date written <c>YYYY-MM-DD</c>, from 1900 to <paramref name="latest"/> (a date of learning is never in the future).</summary>
    public DateOnly? Date(string field, string? value, string label, DateOnly latest, bool required = true)
    {
        var text = Validation.Text.Clean(value, out _);
        if (string.IsNullOrEmpty(text))
        {
            if (text is null || required)
            {
                Add(field, $"{label} is required, as YYYY-MM-DD.", text is null ? "INVALID_DATE" : "REQUIRED_FIELD");
            }

            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Add(field, $"'{Validation.Text.Echo(text)}' is not a date: write it as YYYY-MM-DD.", "INVALID_DATE");
            return null;
        }

        if (date < EarliestDate)
        {
            Add(field, $"{label} {date:yyyy-MM-dd} is before {EarliestDate:yyyy}; check the year.", "INVALID_DATE");
            return null;
        }

        if (date > latest)
        {
            Add(field, $"{label} {date:yyyy-MM-dd} is in the future; an outcome can only be banked once achieved.", "ISSUE_DATE_IN_FUTURE");
            return null;
        }

        return date;
    }

    /// <summary>
    /// A term (学期): an academic year and semester, <c>2025-2026-1</c> (the second year the first plus one, semester
    /// 1–3), or a year and season, <c>2026-spring</c> (spring, summer, autumn, fall, winter); years 1950 to next year.
    /// </summary>
    public string Term(string field, string? value, DateOnly today)
    {
        var text = Text(field, value, 20, "The term (学期)");
        if (text.Length == 0)
        {
            return string.Empty;
        }

        var parts = text.Split('-');
        var known = parts switch
        {
            [var from, var to, var semester] => Year(from, today) is { } first && Year(to, today) == first + 1 && semester is "1" or "2" or "3",
            [var year, var season] => Year(year, today) is not null
                && season.ToLowerInvariant() is "spring" or "summer" or "autumn" or "fall" or "winter",
            _ => false,
        };
        if (!known)
        {
            Add(field, $"'{Validation.Text.Echo(text)}' is not a term: write the academic year and semester, e.g. 2025-2026-1, or a year and season, e.g. 2026-spring.",
                "INVALID_TERM");
            return string.Empty;
        }

        return parts.Length == 2 ? $"{parts[0]}-{parts[1].ToLowerInvariant()}" : text;
    }

    /// <summary>
    /// A decimal amount from a double on the wire: finite, within [<paramref name="min"/>, <paramref name="max"/>], at most
    /// <paramref name="decimals"/> decimals; NaN, infinities and 1e308 are refused before any conversion can overflow.
    /// </summary>
    public decimal? Amount(string field, double value, decimal min, decimal max, int decimals, string label, string reason, bool minExclusive = false)
    {
        if (!double.IsFinite(value) || Math.Abs(value) > 1e9)
        {
            Add(field, $"{label} must be a number from {min} to {max}; got {Validation.Text.Echo(value.ToString(CultureInfo.InvariantCulture))}.", reason);
            return null;
        }

        var amount = (decimal)value;
        if ((minExclusive ? amount <= min : amount < min) || amount > max || decimal.Round(amount, decimals) != amount)
        {
            Add(field, $"{label} must be {(minExclusive ? "more than" : "at least")} {min} and at most {max}, with at most {decimals} decimals; got {value.ToString(CultureInfo.InvariantCulture)}.",
                reason);
            return null;
        }

        return amount;
    }

    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long? Whole(string field, long value, long min, long max, string label, string reason)
    {
        if (value < min || value > max)
        {
            Add(field, $"{label} must be between {min} and {max}; got {value}.", reason);
            return null;
        }

        return value;
    }

    /// <summary>Throws InvalidArgument with every violation collected, if there are any.</summary>
    public void ThrowIfAny(string subject)
    {
        if (Any)
        {
            var message = _violations.Count == 1
                ? $"{subject}: {_violations[0].Field}: {_violations[0].Description}"
                : $"{subject}: {_violations.Count} fields are invalid ({string.Join(", ", _violations.Take(10).Select(v => v.Field))}{(_violations.Count > 10 ? ", …" : string.Empty)}).";
            throw Problems.InvalidArgument(_violations.Count == 1 ? FirstReason! : "INVALID_REQUEST", message, _violations);
        }
    }

    /// <summary>The names a caller may send for <typeparamref name="TEnum"/>, e.g. <c>SKILL_LEVEL_ELEMENTARY, …</c>.</summary>
    private static string Choices<TEnum>()
        where TEnum : struct, System.Enum =>
        string.Join(", ", System.Enum.GetValues<TEnum>().Where(v => Convert.ToInt32(v, CultureInfo.InvariantCulture) != 0)
            .Select(v => OriginalName(v)));

    private static string OriginalName<TEnum>(TEnum value)
        where TEnum : struct, System.Enum =>
        typeof(TEnum).GetField(value.ToString())?.GetCustomAttributes(typeof(Google.Protobuf.Reflection.OriginalNameAttribute), false)
            .OfType<Google.Protobuf.Reflection.OriginalNameAttribute>().FirstOrDefault()?.Name ?? value.ToString();

    private static int? Year(string text, DateOnly today) =>
        text.Length == 4 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= 1950 && year <= today.Year + 1
            ? year
            : null;
}
