namespace CreditBank.Conversion.OutcomeFeed;

/// <summary>
/// <c>Conversion:OutcomeFeed</c>: where conversion reads recognition's outcome change feed from. Without
/// <see cref="RecognitionUrl"/> conversion follows events only.
/// </summary>
public sealed class OutcomeFeedOptions
{
    public const string Section = "Conversion:OutcomeFeed";

    /// <summary>Recognition's gRPC address, e.g. <c>http://recognition:5102</c>; empty: the feed is not read.</summary>
    public string RecognitionUrl { get; set; } = string.Empty;

    /// <summary>
    /// The identity service's token endpoint; empty: <c>{Authentication:Authority}connect/token</c>, or — when the
    /// identity module runs in this process too (no authority) — <c>{RecognitionUrl}/connect/token</c>.
    /// </summary>
    public string TokenUrl { get; set; } = string.Empty;

    /// <summary>Conversion's own client (client_credentials), with the scope <c>outcomes.feed</c>.</summary>
    public string ClientId { get; set; } = "conversion-feed";

    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>Changes asked for per page (the feed serves at most 10,000).</summary>
    public int PageSize { get; set; } = 10_000;

    /// <summary>How long to wait, once caught up (or after a failure), before asking again.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
