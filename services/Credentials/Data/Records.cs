using CreditBank.Credentials.Domain;

namespace CreditBank.Credentials.Data;

/// <summary>
/// An outcome the credentials service can state, from recognition's events, with its status-list bit. Written by
/// whichever of its recognition, revocation or a conversion that used it arrives first; the others fill in what they add.
/// Only a recognised one (<see cref="RecognisedAt"/> set) is ever stated in a credential.
/// </summary>
public sealed class OutcomeRecord
{
    public Guid OutcomeId { get; init; }

    /// <summary>As events name it, e.g. <c>RESIDENT_ID_CARD</c>.</summary>
    public required string LearnerDocumentType { get; set; }

    public required string LearnerDocumentHash { get; set; }

    /// <summary>The document number sealed (AES-GCM), read back only to hash it into a credential with a fresh salt.</summary>
    public required string LearnerDocumentSealed { get; set; }

    public required string InstitutionCode { get; set; }

    public required string Kind { get; set; }

    public required string Title { get; set; }

    public decimal Credits { get; set; }

    public string? UnitCode { get; set; }

    public int? UnitVersion { get; set; }

    public string? UnitDefinitionSha256 { get; set; }

    public int? FrameworkLevel { get; set; }

    public int Level { get; set; }

    public string? CourseCode { get; set; }

    public string? GradeScheme { get; set; }

    public string? GradeValue { get; set; }

    public int Hours { get; set; }

    public DateOnly? AchievedOn { get; set; }

    /// <summary>Set by the recognition; an outcome whose revocation came first has none until then.</summary>
    public DateTimeOffset? RecognisedAt { get; set; }

    public bool Revoked { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public int StatusListId { get; init; }

    public int StatusIndex { get; init; }

    /// <summary>
    /// Bumped by every consumer that writes the row or depends on it (a recognition, a revocation, a conversion that
    /// used it): the optimistic concurrency token on which their transactions meet, so none misses another's change.
    /// </summary>
    public int Version { get; set; }

    /// <summary>
    /// The outcome's own credential (an <see cref="IssuedCredentialRecord"/>), issued the first time the learner asked for
    /// it or for a transcript, and kept: every later request and transcript states the outcome with that same signed
    /// credential. Set once, by whichever request saved its credential first.
    /// </summary>
    public Guid? CredentialId { get; set; }

    public OutcomeStatement Statement() => new()
    {
        OutcomeId = OutcomeId,
        InstitutionCode = InstitutionCode,
        Kind = Kind,
        Title = Title,
        Credits = Credits,
        UnitCode = UnitCode,
        UnitVersion = UnitVersion,
        UnitDefinitionSha256 = UnitDefinitionSha256,
        FrameworkLevel = FrameworkLevel,
        Level = Level,
        CourseCode = CourseCode,
        GradeScheme = GradeScheme,
        GradeValue = GradeValue,
        Hours = Hours,
        AchievedOn = AchievedOn,
        RecognisedAt = RecognisedAt ?? DateTimeOffset.UnixEpoch,
        Status = new StatusEntry(StatusListId, StatusIndex),
    };
}

/// <summary>An accepted exemption of a decided conversion, with its status-list bit (set when an outcome it used is revoked).</summary>
public sealed class ConversionItemRecord
{
    public Guid ApplicationId { get; init; }

    public int ItemNumber { get; init; }

    public required string LearnerDocumentType { get; init; }

    public required string LearnerDocumentHash { get; init; }

    public required string ProgrammeCode { get; init; }

    public required string InstitutionCode { get; init; }

    public required string RuleId { get; init; }

    public int RuleVersion { get; init; }

    public string? RuleDefinitionSha256 { get; init; }

    /// <summary>Comma-separated course codes exempted.</summary>
    public required string CourseCodes { get; init; }

    public decimal Credits { get; init; }

    public DateTimeOffset DecidedAt { get; init; }

    public bool Revoked { get; set; }

    public int StatusListId { get; init; }

    public int StatusIndex { get; init; }

    /// <summary>The exemption's own credential, kept as <see cref="OutcomeRecord.CredentialId"/> is.</summary>
    public Guid? CredentialId { get; set; }

    public ConversionStatement Statement(IReadOnlyList<Guid> outcomeIds) => new()
    {
        ApplicationId = ApplicationId,
        ItemNumber = ItemNumber,
        ProgrammeCode = ProgrammeCode,
        InstitutionCode = InstitutionCode,
        CourseCodes = CourseCodes.Split(',', StringSplitOptions.RemoveEmptyEntries),
        Credits = Credits,
        RuleId = RuleId,
        RuleVersion = RuleVersion,
        RuleDefinitionSha256 = RuleDefinitionSha256,
        OutcomeIds = outcomeIds,
        DecidedAt = DecidedAt,
        Status = new StatusEntry(StatusListId, StatusIndex),
    };
}

/// <summary>Which exemptions used an outcome: how a revocation finds the bits of the conversions it undermines.</summary>
public sealed class ConversionOutcome
{
    public Guid OutcomeId { get; init; }

    public Guid ApplicationId { get; init; }

    public int ItemNumber { get; init; }
}

/// <summary>
/// One Bitstring Status List: which indexes are taken and which are set (revoked). Every change bumps the version,
/// the optimistic concurrency token that serialises allocations and revocations on the list.
/// </summary>
public sealed class StatusListRecord
{
    public int Id { get; init; }

    public required string Purpose { get; init; }

    public int Size { get; init; }

    public required byte[] Used { get; set; }

    public required byte[] RevokedBits { get; set; }

    public int Allocated { get; set; }

    public int Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum IssuedKind
{
    Achievement,
    Transcript,
}

/// <summary>
/// A credential the bank issued, kept to download again and to verify by id. An outcome's or exemption's credential
/// is kept whole (<see cref="Jwt"/>). A transcript is not (its VC-JWT is ~700 KB for 100 outcomes, nearly all of it the
/// credentials it embeds, which are kept already): it keeps its envelope and signature and the ids of what it embeds,
/// from which its VC-JWT is built again byte for byte (<see cref="CredentialFactory.RebuildTranscript"/>).
/// </summary>
public sealed class IssuedCredentialRecord
{
    public Guid Id { get; init; }

    public IssuedKind Kind { get; init; }

    public required string LearnerDocumentHash { get; init; }

    /// <summary>Comma-separated outcome ids it states.</summary>
    public required string OutcomeIds { get; init; }

    public DateTimeOffset IssuedAt { get; init; }

    public required string KeyId { get; init; }

    /// <summary>
    /// The VC-JWT of an outcome's or exemption's credential; for a transcript, its JWS with the payload left out
    /// (<c>header..signature</c>, RFC 7515 Appendix F).
    /// </summary>
    public required string Jwt { get; init; }

    /// <summary>A transcript's payload (UTF-8 JSON) before its embedded credentials; null for any other credential.</summary>
    public string? PayloadHead { get; init; }

    /// <summary>A transcript's payload after its embedded credentials; null for any other credential.</summary>
    public string? PayloadTail { get; init; }

    /// <summary>The ids of a transcript's embedded credentials, comma-separated, in its order; null for any other credential.</summary>
    public string? EmbeddedIds { get; init; }

    /// <summary>What was kept of a transcript, to build its VC-JWT again.</summary>
    public KeptTranscript? KeptTranscript() => Kind == IssuedKind.Transcript && PayloadHead is not null && PayloadTail is not null
        ? new KeptTranscript(PayloadHead, PayloadTail, Jwt)
        : null;

    /// <summary>The ids of a transcript's embedded credentials, in its order.</summary>
    public IReadOnlyList<Guid> Embedded() => EmbeddedIds is { Length: > 0 } ids ? [.. ids.Split(',').Select(Guid.Parse)] : [];
}

/// <summary>A signed decision: once per subject (outcome or application) and kind, the first one signed.</summary>
public sealed class DecisionRecord
{
    public Guid SubjectId { get; init; }

    public DecisionKind Kind { get; init; }

    public required string InstitutionCode { get; init; }

    public required string LearnerDocumentHash { get; init; }

    public required string CanonicalJson { get; init; }

    public required string DetachedJws { get; init; }

    public required string KeyId { get; init; }

    public DateTimeOffset DecidedAt { get; init; }

    public static DecisionRecord From(SignedDecision d) => new()
    {
        SubjectId = d.SubjectId,
        Kind = d.Kind,
        InstitutionCode = d.InstitutionCode,
        LearnerDocumentHash = d.LearnerDocumentHash,
        CanonicalJson = d.CanonicalJson,
        DetachedJws = d.DetachedJws,
        KeyId = d.KeyId,
        DecidedAt = d.DecidedAt,
    };
}
