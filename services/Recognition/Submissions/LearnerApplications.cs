using CreditBank.Contracts.Learning;
using CreditBank.Contracts.Type.V1;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using CreditBank.PersonalData;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Validation;
using Microsoft.EntityFrameworkCore;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Submissions;

/// <summary>
/// A learner's own application for recognition of informal learning, with its evidence files: routed, decided (pending
/// review, <c>INFORMAL_OUTCOME</c>) and written as an institution's informal outcome is, under <see cref="Issuer"/>.
/// </summary>
internal sealed class LearnerApplications(RecognitionDb db, OutcomeIntake intake, SubmissionWriter submissions, DocumentProtector documents)
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

    /// <summary>
    /// Writes the application of the learner whose verified document hashes to <paramref name="documentHash"/>. The
    /// bank's record of that document — sealed, masked, named — is the one its outcomes already carry, so the learner
    /// never types the number; it is read back in process only to route by district, never logged or returned.
    /// </summary>
    public async Task<V1.SubmitOutcomeResponse> ApplyAsync(string documentHash, string requestId, byte[] fingerprint,
        ApplicationValidation.Parsed parsed, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var onRecord = await db.Outcomes.AsNoTracking()
            .Where(o => o.LearnerDocumentHash == documentHash)
            .OrderByDescending(o => o.SubmittedAt)
            .Select(o => new { o.LearnerDocumentType, o.LearnerDocumentSealed, o.LearnerName })
            .FirstOrDefaultAsync(ct)
            ?? throw Problems.FailedPrecondition("LEARNER_NOT_ON_RECORD",
                "The bank holds no outcome of yours yet, so it does not know which workstation (工作站) serves you: ask an institution that taught you to submit an outcome first, or contact your workstation.");
        if (!IdentityDocument.TryParse(onRecord.LearnerDocumentType, documents.Unseal(onRecord.LearnerDocumentSealed), out var document, out _)
            || documents.Hash(document!) != documentHash)
        {
            throw Problems.FailedPrecondition("LEARNER_NOT_ON_RECORD", "The bank's record of your document cannot be read back; contact your workstation (工作站).");
        }

        var outcome = intake.Prepare(new SubmitOutcomeValidation.Parsed(document!, onRecord.LearnerName, OutcomeKind.InformalOutcome, parsed.Detail, null),
            Issuer, now, actor, batchId: null, out var decision);
        var files = parsed.Files.Select((f, i) => new EvidenceFile
        {
            Id = Guid.CreateVersion7(now),
            OutcomeId = outcome.Id,
            Position = i,
            FileName = f.FileName,
            ContentType = f.ContentType,
            SizeBytes = f.Content.Length,
            Sha256 = f.Sha256,
            Content = f.Content,
            UploadedAt = now,
        }).ToList();
        return await submissions.WriteAsync(new PendingSubmission(RequestKey(documentHash), requestId, fingerprint, outcome, decision, actor, now) { Evidence = files }, ct);
    }

    /// <summary>The outcome's evidence file with its bytes, or null when there is none — or it is not the caller's to read.</summary>
    public async Task<EvidenceFile?> EvidenceFileAsync(Guid outcomeId, Guid fileId, Caller caller, CancellationToken ct)
    {
        var outcome = await db.Outcomes.AsNoTracking().FirstOrDefaultAsync(o => o.Id == outcomeId, ct);
        return outcome is not null && MayReadEvidence(caller, outcome)
            ? await db.EvidenceFiles.AsNoTracking().FirstOrDefaultAsync(f => f.Id == fileId && f.OutcomeId == outcomeId, ct)
            : null;
    }

    /// <summary>The evidence files (without their bytes) of these outcomes, in the order they were uploaded.</summary>
    public static async Task<Dictionary<Guid, List<EvidenceFile>>> EvidenceOfAsync(RecognitionDb db, IReadOnlyCollection<Guid> outcomeIds, CancellationToken ct)
    {
        var files = await db.EvidenceFiles.AsNoTracking()
            .Where(f => outcomeIds.Contains(f.OutcomeId))
            .OrderBy(f => f.OutcomeId).ThenBy(f => f.Position)
            .Select(f => new EvidenceFile
            {
                Id = f.Id, OutcomeId = f.OutcomeId, Position = f.Position, FileName = f.FileName, ContentType = f.ContentType, SizeBytes = f.SizeBytes,
                Sha256 = f.Sha256, Content = Array.Empty<byte>(), UploadedAt = f.UploadedAt,
            })
            .ToListAsync(ct);
        return files.GroupBy(f => f.OutcomeId).ToDictionary(g => g.Key, g => g.ToList());
    }

    /// <summary>The learner the outcome is about, reviewers of its workstation and administrators — not the issuer: the learner gave the files to the bank.</summary>
    private static bool MayReadEvidence(Caller caller, Outcome outcome) => caller.Role switch
    {
        Roles.Learner => caller.DocumentHash is not null && caller.DocumentHash == outcome.LearnerDocumentHash,
        Roles.Reviewer => caller.Workstation == outcome.WorkstationCode,
        Roles.Admin => true,
        _ => false,
    };
}
