namespace CreditBank.Contracts.Events;

/// <summary>What every integration event carries: its own id, when it happened and who caused it.</summary>
/// <remarks>
/// Events are facts in the past tense. They are versioned by adding members; a breaking change is a new type.
/// They never carry a document number in clear: the keyed hash and the masked form stand for it.
/// </remarks>
public interface IIntegrationEvent
{
    /// <summary>Equal to the MassTransit MessageId it was published with (the outbox row id).</summary>
    Guid EventId { get; }

    DateTimeOffset OccurredAt { get; }

    /// <summary>The acting principal, e.g. <c>institution:12500000MB1234567X</c> or <c>system</c>.</summary>
    string Actor { get; }
}

/// <summary>
/// The base of every integration event: the header <see cref="IIntegrationEvent"/> describes, stamped by the outbox when
/// the event is queued (<c>db.Enqueue(actor, now, event)</c>), so that no producer builds it by hand.
/// </summary>
public abstract record IntegrationEvent : IIntegrationEvent
{
    public Guid EventId { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    public string Actor { get; init; } = string.Empty;
}
