namespace CreditBank.Contracts.Events;

/// <summary>
/// Several outcomes submitted one at a time (<c>SubmitOutcome</c>) by one actor were recognised and written in one
/// transaction (group commit). Carries what an <see cref="OutcomeRecognised"/> carries for each, so that a busy bank
/// publishes one message per group instead of one per outcome; each outcome appears in exactly one of
/// <see cref="OutcomeRecognised"/>, <see cref="OutcomesRecognised"/> and this.
/// </summary>
/// <remarks>
/// Its own type rather than an <see cref="OutcomesRecognised"/> without a batch: consumers take it from its own queue,
/// so a single submission is never credited behind a semester's batch chunks.
/// </remarks>
public sealed record SubmittedOutcomesRecognised : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string Actor { get; init; }

    public required IReadOnlyList<RecognisedOutcome> Outcomes { get; init; }
}
