using Google.Protobuf.WellKnownTypes;

namespace CreditBank.Portal.Components.Shared;

/// <summary>Dates as the bank's people read them: the day in Beijing time (UTC+8), year first.</summary>
internal static class Dates
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static string Day(Timestamp? at) =>
        at is null ? string.Empty : at.ToDateTimeOffset().ToOffset(Beijing).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
