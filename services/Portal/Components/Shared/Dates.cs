using Google.Protobuf.WellKnownTypes;

namespace CreditBank.Portal.Components.Shared;

/// <summary>Dates as the bank's people read them: Beijing time (UTC+8), year first.</summary>
internal static class Dates
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static string Day(Timestamp? at) =>
        at is null ? string.Empty : at.ToDateTimeOffset().ToOffset(Beijing).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>To the second, for what happened when (the audit log).</summary>
    public static string Moment(Timestamp? at) =>
        at is null ? string.Empty : at.ToDateTimeOffset().ToOffset(Beijing).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
