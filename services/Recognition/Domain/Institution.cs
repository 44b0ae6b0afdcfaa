using CreditBank.Contracts.Learning;

namespace CreditBank.Recognition.Domain;

/// <summary>An institution (机构) that submits outcomes. Trusted issuers' outcomes are recognised automatically.</summary>
public sealed class Institution
{
    /// <summary>The kinds of institution the bank registers.</summary>
    public static IReadOnlyList<string> Kinds => InstitutionKinds.All;

    public static IReadOnlyList<string> Regions => InstitutionRegions.All;

    /// <summary>统一社会信用代码 (18 characters) or 学校标识码 (10 digits); see <see cref="InstitutionCode"/>.</summary>
    public required string Code { get; init; }

    public required string Name { get; set; }

    /// <summary>One of <see cref="Kinds"/>, e.g. 高职专科, 普通本科, 培训评价组织.</summary>
    public required string Kind { get; set; }

    /// <summary>渝, 川 or other.</summary>
    public required string Region { get; set; }

    /// <summary>可信发证机构 (the trust level): outcomes from it need no reviewer when they match the catalogue.</summary>
    public bool IsTrustedIssuer { get; set; }

    /// <summary>When the registration facts it holds were stated at the identity service (null: seeded or saved here).</summary>
    public DateTimeOffset? FactsAt { get; set; }
}
