using CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Portal.Components.Shared;

/// <summary>An outcome's name as its holder knows it: the course title, the certificate's name, the training's title.</summary>
internal static class OutcomeText
{
    public static string Title(Outcome outcome) => outcome.DetailCase switch
    {
        Outcome.DetailOneofCase.Course => $"{outcome.Course.Title} ({outcome.Course.CourseCode}, {outcome.Course.Term})",
        Outcome.DetailOneofCase.SkillCertificate => outcome.SkillCertificate.CertificateName,
        Outcome.DetailOneofCase.VocationalQualification => outcome.VocationalQualification.QualificationName,
        Outcome.DetailOneofCase.SpecialAbility => outcome.SpecialAbility.AbilityName,
        Outcome.DetailOneofCase.TrainingRecord => outcome.TrainingRecord.Title,
        Outcome.DetailOneofCase.CompetitionAward => outcome.CompetitionAward.CompetitionName,
        Outcome.DetailOneofCase.InformalOutcome => outcome.InformalOutcome.Title,
        _ => outcome.OutcomeId,
    };
}
