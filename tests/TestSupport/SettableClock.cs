namespace CreditBank.TestSupport;

/// <summary>A clock a test moves by hand, for what keeps things until their time is up.</summary>
public sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
