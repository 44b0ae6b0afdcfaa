namespace CreditBank.Contracts.Events;

/// <summary>
/// An administrator registered an institution (机构) at the identity service, with its OAuth client: recognition's
/// catalogue learns of it from this.
/// </summary>
public sealed record InstitutionRegistered : IntegrationEvent
{
    public required InstitutionFacts Institution { get; init; }
}

/// <summary>An administrator changed a registered institution: its trust level, or disabled its client.</summary>
public sealed record InstitutionChanged : IntegrationEvent
{
    public required InstitutionFacts Institution { get; init; }
}

/// <summary>An institution as its events state it, whole, so that a reader needs no earlier event.</summary>
/// <param name="Code">统一社会信用代码 or 学校标识码.</param>
/// <param name="Kind">One of <c>InstitutionKinds.All</c>, e.g. 高职专科.</param>
/// <param name="Region">渝, 川 or other.</param>
/// <param name="IsTrustedIssuer">可信发证机构: its catalogued outcomes need no reviewer.</param>
/// <param name="ClientDisabled">Its OAuth client gets no more tokens.</param>
public sealed record InstitutionFacts(string Code, string Name, string Kind, string Region, bool IsTrustedIssuer, bool ClientDisabled);
