namespace CreditBank.Contracts.Events;

/// <summary>
/// An institution (机构) was registered at the bank, or its registration changed (name, kind, region, trust level):
/// recognition keeps its registry from these, so that outcomes from it are accepted and decided by its trust level.
/// </summary>
/// <param name="Code">统一社会信用代码 (18 characters) or 学校标识码 (10 digits).</param>
/// <param name="Kind">中职, 高职专科, 职业本科, 普通本科, 技工学校, 开放大学, 培训机构, 培训评价组织 or 企业.</param>
/// <param name="Region">渝, 川 or other.</param>
/// <param name="TrustLevel"><c>TRUSTED</c> (可信发证机构: catalogued outcomes are recognised automatically) or <c>UNTRUSTED</c>.</param>
public sealed record InstitutionRegistered : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string Actor { get; init; }

    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public required string Region { get; init; }
    public required string TrustLevel { get; init; }
}
