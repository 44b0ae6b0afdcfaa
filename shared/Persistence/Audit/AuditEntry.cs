namespace CreditBank.Persistence.Audit;

/// <summary>
/// One administrative change a service made (审计记录): who, when, what, to what, and the target before and after, as
/// JSON. Written in the same <c>SaveChanges</c> as the change itself (<see cref="AuditLog.Audit"/>), so a change is
/// never kept without its entry, nor an entry without its change.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Increasing: the list's order and its page position.</summary>
    public long Sequence { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>Who made the change, as <c>Caller.Actor</c> names them, e.g. <c>admin:3f2…</c>.</summary>
    public required string Actor { get; init; }

    /// <summary>The RPC or operation, e.g. <c>RegisterInstitution</c>.</summary>
    public required string Action { get; init; }

    /// <summary>What it was done to, e.g. <c>institution:4150012608</c>.</summary>
    public required string Target { get; init; }

    /// <summary>The target before the change, as JSON; null when it did not exist. Never a secret or document number.</summary>
    public string? Before { get; init; }

    public string? After { get; init; }
}
