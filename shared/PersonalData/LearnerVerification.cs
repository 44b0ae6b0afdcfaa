namespace CreditBank.PersonalData;

/// <summary>
/// Real-name verification (实名认证) of a learner who registers themselves: is this document theirs? The identity
/// service binds a self-registered login to the learner's account (its <c>document_hash</c> claim) only once a verifier
/// said yes. A national real-name provider plugs in here (docs/security.md, "Learner registration").
/// </summary>
public interface ILearnerVerifier
{
    /// <param name="document">The validated document number, in clear: the verifier may send it to its provider, never log it.</param>
    /// <param name="name">The name the learner gave.</param>
    Task<bool> VerifyAsync(IdentityDocument document, string name, CancellationToken cancellationToken);
}
