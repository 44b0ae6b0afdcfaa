namespace CreditBank.Contracts.Events;

/// <summary>A target institution decided a conversion application (学分转换): the accepted items are to be posted.</summary>
public sealed record CreditsConverted : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string Actor { get; init; }

    public required Guid ApplicationId { get; init; }
    public required string LearnerDocumentHash { get; init; }
    public required string ProgrammeCode { get; init; }
    public required string InstitutionCode { get; init; }
    public required IReadOnlyList<ConvertedItem> Items { get; init; }
}

/// <summary>One accepted exemption: which outcomes went to which courses, under which rule version, for how many credits.</summary>
public sealed record ConvertedItem(int ItemNumber, string RuleId, int RuleVersion, IReadOnlyList<Guid> OutcomeIds, IReadOnlyList<string> CourseCodes, decimal Credits);
