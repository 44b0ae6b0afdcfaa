namespace CreditBank.Conversion.Domain;

public enum ApplicationStatus
{
    /// <summary>待审核: the target institution has items to decide.</summary>
    Submitted = 1,

    /// <summary>已决定.</summary>
    Decided = 2,
}

public enum ItemDecision
{
    Pending = 1,
    Accepted = 2,
    Refused = 3,
}

/// <summary>One item of an application: an exemption as evaluated (citing its rule version) and the institution's decision.</summary>
public sealed record ApplicationItem
{
    public required int Number { get; init; }

    public required string RuleId { get; init; }

    public required int RuleVersion { get; init; }

    public required IReadOnlyList<Guid> OutcomeIds { get; init; }

    public required IReadOnlyList<string> CourseCodes { get; init; }

    public required decimal Credits { get; init; }

    /// <summary>The certificate among the outcomes, if any (for the per-certificate cap in later evaluations).</summary>
    public Guid? CertificateOutcomeId { get; init; }

    public ItemDecision Decision { get; init; } = ItemDecision.Pending;

    public string? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public string? Reason { get; init; }

    /// <summary>An outcome it used was revoked (已撤销): the conversion needs another look.</summary>
    public bool Flagged { get; init; }

    public static ApplicationItem From(int number, Exemption exemption) => new()
    {
        Number = number,
        RuleId = exemption.Rule.RuleId,
        RuleVersion = exemption.Rule.Version,
        OutcomeIds = exemption.Outcomes.Select(o => o.OutcomeId).ToList(),
        CourseCodes = exemption.Courses.Select(c => c.Code).ToList(),
        Credits = exemption.Credits,
        CertificateOutcomeId = exemption.Outcomes.FirstOrDefault(o => o.IsCertificate)?.OutcomeId,
    };
}
