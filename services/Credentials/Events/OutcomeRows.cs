using CreditBank.Contracts.Events;
using CreditBank.Credentials.Data;
using CreditBank.Credentials.Domain;

namespace CreditBank.Credentials.Events;

/// <summary>How each event writes an outcome's row, whichever of them comes first.</summary>
internal static class OutcomeRows
{
    /// <summary>A new row for an outcome first heard of now, with its status-list bit.</summary>
    public static OutcomeRecord New(Guid outcomeId, StatusEntry status, string documentType, string documentHash) => new()
    {
        OutcomeId = outcomeId,
        LearnerDocumentType = documentType,
        LearnerDocumentHash = documentHash,
        LearnerDocumentSealed = string.Empty,
        InstitutionCode = string.Empty,
        Kind = string.Empty,
        Title = string.Empty,
        StatusListId = status.ListId,
        StatusIndex = status.Index,
    };

    /// <summary>Everything the recognition says; it never touches <see cref="OutcomeRecord.Revoked"/>.</summary>
    public static void Recognise(OutcomeRecord row, RecognisedOutcome outcome, DateTimeOffset at)
    {
        Learner(row, outcome.Learner);
        row.InstitutionCode = outcome.InstitutionCode;
        row.Kind = outcome.OutcomeKind;
        row.Title = outcome.Title;
        row.Credits = outcome.Credits;
        row.UnitCode = outcome.Facts?.UnitCode;
        row.UnitVersion = outcome.Facts?.UnitVersion;
        row.UnitDefinitionSha256 = outcome.Facts?.UnitDefinitionSha256;
        row.FrameworkLevel = outcome.Facts?.FrameworkLevel;
        row.Level = outcome.Facts?.Level ?? 0;
        row.CourseCode = outcome.Facts?.CourseCode;
        row.GradeScheme = outcome.Facts?.GradeScheme;
        row.GradeValue = outcome.Facts?.GradeValue;
        row.Hours = outcome.Facts?.Hours ?? 0;
        row.AchievedOn = outcome.Facts?.AchievedOn;
        row.RecognisedAt = at;
        row.Version++;
    }

    /// <summary>What a revocation knows of an outcome not recognised here yet; the recognition overwrites it with its own facts.</summary>
    public static void FillFrom(OutcomeRecord row, OutcomeRevoked revoked)
    {
        if (row.RecognisedAt is not null)
        {
            return;
        }

        Learner(row, revoked.Learner);
        row.InstitutionCode = revoked.InstitutionCode;
        row.Kind = revoked.OutcomeKind;
        row.Title = revoked.Title;
        row.Credits = revoked.Credits;
    }

    private static void Learner(OutcomeRecord row, LearnerIdentity learner)
    {
        row.LearnerDocumentType = learner.DocumentType;
        row.LearnerDocumentHash = learner.DocumentHash;
        row.LearnerDocumentSealed = learner.DocumentSealed;
    }
}
