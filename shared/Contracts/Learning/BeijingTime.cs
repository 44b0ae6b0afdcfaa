namespace CreditBank.Contracts.Learning;

/// <summary>Dates as the bank's users mean them: the calendar day in Beijing (UTC+8, no daylight saving).</summary>
public static class BeijingTime
{
    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime.AddHours(8));
}
