namespace CreditBank.Contracts.Events;

/// <summary>
/// A grading scheme (评分制) of recognition's catalogue as it stands: registered, changed, or stated again when the
/// catalogue is loaded. Readers that interpret grades (conversion) keep the newest definition of each code.
/// </summary>
/// <remarks>
/// The definitions of one code are ordered by <see cref="OccurredAt"/>: a consumer keeps the one that happened last,
/// whatever order they arrive in, and ignores an older one arriving late.
/// </remarks>
public sealed record GradingSchemeDefined : IntegrationEvent
{
    /// <summary>e.g. <c>GPA_4</c>, <c>LETTER_AF</c>, or a built-in one (<c>PERCENTAGE</c>, <c>FIVE_LEVEL</c>, <c>PASS_FAIL</c>).</summary>
    public required string Code { get; init; }

    public required string Name { get; init; }

    /// <summary><c>NUMERIC</c> (a range with a pass mark) or <c>ORDERED</c> (values, best first).</summary>
    public required string Kind { get; init; }

    public required decimal Min { get; init; }

    public required decimal Max { get; init; }

    public required decimal PassMark { get; init; }

    /// <summary>An ordered scheme's values, best first, and whether each passes; empty for a numeric one.</summary>
    public required IReadOnlyList<GradingSchemeValue> Values { get; init; }
}

/// <summary>One value of an ordered grading scheme inside <see cref="GradingSchemeDefined"/>.</summary>
public sealed record GradingSchemeValue(string Value, bool Passes);
