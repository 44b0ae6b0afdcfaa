using System.Security.Claims;

namespace CreditBank.Portal.Components.Pages.Review;

/// <summary>How the review contract names the reviewer at work: their user name at the identity service.</summary>
internal static class ReviewerName
{
    public static string Of(ClaimsPrincipal person) => person.FindFirst("preferred_username")?.Value ?? person.FindFirst("sub")?.Value ?? string.Empty;
}
