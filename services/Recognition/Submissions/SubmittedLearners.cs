using CreditBank.PersonalData;
using CreditBank.Recognition.Data;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Recognition.Submissions;

/// <summary>
/// The learner verifier where recognition runs in the identity service's process (the standalone host and the tests):
/// a learner is who they say when an institution submitted an outcome for that document under that name. A real-name
/// (实名认证) provider replaces it in production (docs/security.md, "Learner registration").
/// </summary>
internal sealed class SubmittedLearners(RecognitionDb db, DocumentProtector documents) : ILearnerVerifier
{
    public Task<bool> VerifyAsync(IdentityDocument document, string name, CancellationToken cancellationToken)
    {
        var hash = documents.Hash(document);
        return db.Outcomes.AsNoTracking().AnyAsync(o => o.LearnerDocumentHash == hash && o.LearnerName == name, cancellationToken);
    }
}
