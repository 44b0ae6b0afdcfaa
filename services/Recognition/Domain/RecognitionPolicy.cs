namespace CreditBank.Recognition.Domain;

/// <summary>What the bank decided about an outcome and why.</summary>
public sealed record RecognitionDecision(OutcomeStatus Status, string ReasonCode, string Reason, decimal Credits);

/// <summary>Automatic recognition (自动认定): the rules that let the bank decide without a reviewer.</summary>
public static class RecognitionPolicy
{
    /// <summary>
    /// Credits for a 1+X certificate by level, until the accreditation-unit catalogue (认证单元) gives each certificate
    /// its own value. Within the national cap of 8 credits per certificate.
    /// </summary>
    public static decimal SkillCertificateCredits(SkillLevel level) => level switch
    {
        SkillLevel.Elementary => 2m,
        SkillLevel.Intermediate => 4m,
        SkillLevel.Advanced => 6m,
        _ => 0m,
    };

    public static RecognitionDecision Decide(Outcome outcome, Institution issuer)
    {
        if (outcome.Course is { } course && !course.Grade.IsPass)
        {
            return new(OutcomeStatus.Rejected, "GRADE_BELOW_PASS_MARK",
                $"Grade {course.Grade} is below the pass mark (未达及格线); a failed course earns no credits.", 0m);
        }

        if (!issuer.IsTrustedIssuer)
        {
            return new(OutcomeStatus.PendingReview, "ISSUER_NOT_TRUSTED",
                $"{issuer.Name} is not a trusted issuer (非可信发证机构): a reviewer at the learner's workstation will decide.", 0m);
        }

        var credits = outcome.Kind switch
        {
            OutcomeKind.Course => outcome.Course!.Credits,
            _ => SkillCertificateCredits(outcome.SkillCertificate!.Level),
        };
        return new(OutcomeStatus.Recognised, "TRUSTED_ISSUER",
            $"Recognised automatically (自动认定): {issuer.Name} is a trusted issuer.", credits);
    }
}
