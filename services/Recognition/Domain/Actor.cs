namespace CreditBank.Recognition.Domain;

/// <summary>
/// Acting principals that are not a caller. Callers name themselves through their token (<c>Caller.Actor</c>:
/// <c>institution:…</c>, <c>reviewer:…</c>, <c>admin:…</c>).
/// </summary>
internal static class Actor
{
    /// <summary>The bank itself, deciding automatically (自动认定).</summary>
    public const string System = "system";
}
