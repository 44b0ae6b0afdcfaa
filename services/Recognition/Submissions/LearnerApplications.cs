using CreditBank.Recognition.Domain;

namespace CreditBank.Recognition.Submissions;

/// <summary>What a learner's own application for recognition is written under, beside institutions' submissions.</summary>
internal static class LearnerApplications
{
    /// <summary>
    /// The issuer of an outcome a learner applied for themselves: no institution vouches for it, so it is never a
    /// trusted issuer, and its outcomes list under this code. Not a registered institution (codes are 10 digits or 18
    /// characters of a 统一社会信用代码), so it cannot clash with one.
    /// </summary>
    public static readonly Institution Issuer = new() { Code = "LEARNER", Name = "学习者本人申请 (the learner's own application)", Kind = "learner", Region = "other" };

    /// <summary>
    /// Where a learner's request_ids are kept apart from everyone else's in the idempotency records, whose key is
    /// (institution code, request_id): "L" and the first 17 characters of the learner's keyed document hash (never the number).
    /// </summary>
    public static string RequestKey(string documentHash) => "L" + documentHash[..17];
}
