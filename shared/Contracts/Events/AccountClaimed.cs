namespace CreditBank.Contracts.Events;

/// <summary>A signed-in learner claimed their account (学习账户已认领): their login now reads it.</summary>
public sealed record AccountClaimed : IntegrationEvent
{
    public required Guid AccountId { get; init; }

    /// <summary>The learner's subject at the identity service.</summary>
    public required string ClaimedBy { get; init; }
}
