namespace CreditBank.Contracts.Events;

/// <summary>A target institution decided a conversion application (学分转换): the accepted items are to be posted.</summary>
/// <remarks>
/// It may reach accounts before the deposits of the outcomes it converts (the events travel apart), so it names the
/// learner's document type and each outcome's kind itself.
/// </remarks>
public sealed record CreditsConverted : IntegrationEvent
{
    public required Guid ApplicationId { get; init; }
    public required string LearnerDocumentType { get; init; }
    public required string LearnerDocumentHash { get; init; }
    public required string ProgrammeCode { get; init; }
    public required string InstitutionCode { get; init; }
    public required IReadOnlyList<ConvertedItem> Items { get; init; }
}

/// <summary>One accepted exemption: which outcomes went to which courses, under which rule version, for how many credits.</summary>
/// <param name="RuleDefinitionSha256">Lower-case hex SHA-256 of the rule version's stored definition in canonical JSON
/// (RFC 8785, <see cref="Canonical.CanonicalJson"/>); null in older events.</param>
public sealed record ConvertedItem(int ItemNumber, string RuleId, int RuleVersion, IReadOnlyList<ConvertedOutcome> Outcomes, IReadOnlyList<string> CourseCodes,
    decimal Credits, string? RuleDefinitionSha256 = null);

/// <summary>An outcome an exemption used, with its kind as <see cref="RecognisedOutcome.OutcomeKind"/> names it.</summary>
public sealed record ConvertedOutcome(Guid OutcomeId, string OutcomeKind);
