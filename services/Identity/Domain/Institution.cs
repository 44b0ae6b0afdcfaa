using CreditBank.Contracts.Events;

namespace CreditBank.Identity.Domain;

/// <summary>
/// An institution (机构) the bank onboarded, with its OAuth client (<see cref="ClientId"/>): the client's secret lives
/// hashed in OpenIddict's application; the secret before the last rotation lives here until its grace period ends.
/// </summary>
public sealed class Institution
{
    /// <summary>Longest an administrator may keep a rotated-out secret working.</summary>
    public static readonly TimeSpan MaxGracePeriod = TimeSpan.FromDays(30);

    /// <summary>统一社会信用代码 or 学校标识码.</summary>
    public required string Code { get; init; }

    public required string Name { get; set; }

    public required string Kind { get; set; }

    public required string Region { get; set; }

    /// <summary>可信发证机构.</summary>
    public bool IsTrustedIssuer { get; set; }

    public required string ClientId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the client was disabled: it gets no token from then on.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>The secret before the last rotation, as OpenIddict hashed it; accepted until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecretHash { get; set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    public static string ClientIdFor(string code) => $"institution-{code}";

    public bool AcceptsPreviousSecret(DateTimeOffset now) =>
        DisabledAt is null && PreviousSecretHash is not null && PreviousSecretExpiresAt > now;

    /// <summary>Keeps the rotated-out secret for <paramref name="grace"/>; none at all for a zero grace.</summary>
    public void Rotated(string? previousSecretHash, TimeSpan grace, DateTimeOffset now)
    {
        PreviousSecretHash = grace > TimeSpan.Zero ? previousSecretHash : null;
        PreviousSecretExpiresAt = grace > TimeSpan.Zero ? now + grace : null;
    }

    public void Disable(DateTimeOffset now)
    {
        DisabledAt ??= now;
        PreviousSecretHash = null;
        PreviousSecretExpiresAt = null;
    }

    public InstitutionFacts Facts() => new(Code, Name, Kind, Region, IsTrustedIssuer, DisabledAt is not null);
}
