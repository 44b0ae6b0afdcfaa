namespace CreditBank.Contracts.Events;

/// <summary>A learner as events name them: never with the document number in clear.</summary>
/// <param name="DocumentType">The document kind, e.g. <c>RESIDENT_ID_CARD</c>.</param>
/// <param name="DocumentHash">Keyed hash (HMAC-SHA256, base64) of the normalised document number: the matching key.</param>
/// <param name="DocumentMasked">For display, e.g. <c>5001**********123X</c>.</param>
/// <param name="DocumentSealed">AES-GCM ciphertext (base64) for lawful read-back by a holder of the key.</param>
/// <param name="Name">The learner's name as the institution gave it.</param>
public sealed record LearnerIdentity(
    string DocumentType,
    string DocumentHash,
    string DocumentMasked,
    string DocumentSealed,
    string Name);
