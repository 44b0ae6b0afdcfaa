using CreditBank.Contracts.Identity.V1;
using CreditBank.Portal.Components.Shared;
using CreditBank.Portal.Resources;
using Microsoft.Extensions.Localization;

namespace CreditBank.Portal.Components.Pages.Admin;

/// <summary>An institution's kind, region and client as an administrator reads them, in the page's language.</summary>
internal static class InstitutionText
{
    /// <summary>The bank's kinds are Chinese words (InstitutionKinds); each has a label, anything else is shown as it is.</summary>
    public static string Kind(IStringLocalizer<Labels> l, string kind) => l[$"InstitutionKind.{kind}"] is { ResourceNotFound: false } known ? known : kind;

    public static string Region(IStringLocalizer<Labels> l, string region) => l[$"Region.{region}"] is { ResourceNotFound: false } known ? known : region;

    public static string ClientState(IStringLocalizer<Labels> l, Institution institution) =>
        institution.DisabledTime is not null
            ? $"{l["Admin.Institution.Disabled"]} {Dates.Day(institution.DisabledTime)}"
            : institution.PreviousSecretExpireTime is not null
                ? $"{l["Admin.Institution.Active"]} · {l["Admin.Institution.PreviousSecretUntil"]} {Dates.Moment(institution.PreviousSecretExpireTime)}"
                : l["Admin.Institution.Active"];
}
