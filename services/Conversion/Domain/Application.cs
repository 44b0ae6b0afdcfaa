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

/// <summary>An institution's verdict on one item: accept it, or refuse it with a reason the learner reads.</summary>
public sealed record ItemVerdict(int ItemNumber, bool Accept, string Reason);

/// <summary>Why a verdict cannot be applied: the verdict (its place in the request), the field and the reason code.</summary>
public sealed record VerdictProblem(int Index, string Field, string Reason, string Description);

/// <summary>A conversion application's items as the target institution decides them (转换审核).</summary>
public sealed class Application(IEnumerable<ApplicationItem> items)
{
    public List<ApplicationItem> Items { get; } = items.ToList();

    /// <summary>Every item has its decision (已决定).</summary>
    public bool IsDecided => Items.All(i => i.Decision != ItemDecision.Pending);

    public IReadOnlyList<ApplicationItem> Accepted => Items.Where(i => i.Decision == ItemDecision.Accepted).ToList();

    /// <summary>
    /// Applies the verdicts, all or none: an unknown item, one already decided, one decided twice, or a refusal without a
    /// reason leaves the application as it was and says so for each.
    /// </summary>
    public IReadOnlyList<VerdictProblem> Decide(IReadOnlyList<ItemVerdict> verdicts, string actor, DateTimeOffset now)
    {
        var problems = new List<VerdictProblem>();
        for (var i = 0; i < verdicts.Count; i++)
        {
            var verdict = verdicts[i];
            var item = Items.FirstOrDefault(x => x.Number == verdict.ItemNumber);
            if (item is null)
            {
                problems.Add(new(i, "item_number", "UNKNOWN_ITEM", $"Application has no item {verdict.ItemNumber}; items are 1 to {Items.Count}."));
            }
            else if (item.Decision != ItemDecision.Pending)
            {
                problems.Add(new(i, "item_number", "ALREADY_DECIDED", $"Item {item.Number} was already decided ({item.Decision})."));
            }
            else if (verdicts.Take(i).Any(d => d.ItemNumber == verdict.ItemNumber))
            {
                problems.Add(new(i, "item_number", "ALREADY_DECIDED", $"Item {verdict.ItemNumber} is decided twice in this request; decide it once."));
            }
            else if (!verdict.Accept && verdict.Reason.Length == 0)
            {
                problems.Add(new(i, "reason", "REQUIRED_FIELD", "Say why the item is refused; the learner reads it."));
            }
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        foreach (var verdict in verdicts)
        {
            var index = Items.FindIndex(x => x.Number == verdict.ItemNumber);
            Items[index] = Items[index] with
            {
                Decision = verdict.Accept ? ItemDecision.Accepted : ItemDecision.Refused,
                DecidedBy = actor,
                DecidedAt = now,
                Reason = verdict.Reason.Length > 0 ? verdict.Reason : null,
            };
        }

        return problems;
    }
}
