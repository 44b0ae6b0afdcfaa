using Google.Rpc;

namespace CreditBank.Grpc;

/// <summary>Collects what is wrong with a request, field by field, so the caller hears about every mistake at once.</summary>
public sealed class FieldViolations
{
    private readonly List<BadRequest.Types.FieldViolation> _violations = [];

    /// <summary>The ErrorInfo reason of the first violation added with one, e.g. <c>INVALID_DOCUMENT_NUMBER</c>.</summary>
    public string? FirstReason { get; private set; }

    public bool Any => _violations.Count > 0;

    public IReadOnlyList<BadRequest.Types.FieldViolation> All => _violations;

    /// <param name="field">The path as in the request, e.g. <c>learner.document_number</c> or <c>course.grade.value</c>.</param>
    /// <param name="description">What is wrong and how to put it right.</param>
    /// <param name="reason">UPPER_SNAKE_CASE; defaults to <c>INVALID_FIELD</c>.</param>
    public FieldViolations Add(string field, string description, string reason = "INVALID_FIELD")
    {
        _violations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description, Reason = reason });
        FirstReason ??= reason;
        return this;
    }

    /// <summary>Field <c>field</c> must not be empty and must be at most <paramref name="maxLength"/> characters.</summary>
    public FieldViolations RequireText(string field, string? value, int maxLength, string label)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"{label} is required.", "REQUIRED_FIELD");
        }
        else if (value.Length > maxLength)
        {
            Add(field, $"{label} is {value.Length} characters long; at most {maxLength} are allowed.", "FIELD_TOO_LONG");
        }

        return this;
    }

    /// <summary>Throws InvalidArgument with every violation collected, if there are any.</summary>
    public void ThrowIfAny(string subject)
    {
        if (Any)
        {
            var message = _violations.Count == 1
                ? $"{subject}: {_violations[0].Field}: {_violations[0].Description}"
                : $"{subject}: {_violations.Count} fields are invalid ({string.Join(", ", _violations.Select(v => v.Field))}).";
            throw Problems.InvalidArgument(_violations.Count == 1 ? FirstReason! : "INVALID_REQUEST", message, _violations);
        }
    }
}
