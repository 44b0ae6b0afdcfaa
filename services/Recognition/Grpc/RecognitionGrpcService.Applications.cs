using CreditBank.Contracts.Learning;
using CreditBank.Contracts.Type.V1;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using CreditBank.PersonalData;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Submissions;
using CreditBank.Recognition.Validation;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Grpc;

/// <summary>A learner's own application for recognition of informal learning, and its evidence files.</summary>
internal sealed partial class RecognitionGrpcService
{
    /// <remarks>
    /// The learner is the token's verified document (its keyed hash); the bank's record of that document — sealed,
    /// masked, named — is the one its outcomes already carry, so the learner never types the number. The outcome is
    /// routed, decided (pending review, <c>INFORMAL_OUTCOME</c>) and written as an institution's informal outcome is,
    /// with <see cref="LearnerApplications.Issuer"/> as its issuer.
    /// </remarks>
    [Authorize(Policy = Scopes.OutcomesApply)]
    public override async Task<V1.ApplyForRecognitionResponse> ApplyForRecognition(V1.ApplyForRecognitionRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = Caller.From(context);
        if (!caller.Is(Roles.Learner) || caller.DocumentHash is not { Length: > 0 } hash)
        {
            throw Problems.PermissionDenied("LEARNERS_ONLY", "Only a signed-in, verified learner applies for recognition of their own learning.");
        }

        var key = LearnerApplications.RequestKey(hash);
        var requestId = request.RequestId.Trim();
        var copy = request.Clone();
        copy.RequestId = string.Empty;
        var fingerprint = System.Security.Cryptography.SHA256.HashData(copy.ToByteArray());
        var now = time.GetUtcNow();
        ApplicationValidation.Parsed parsed;
        try
        {
            parsed = ApplicationValidation.Parse(request, BeijingTime.Today(now));
        }
        catch (RpcException)
        {
            if (await SubmissionWriter.FirstAnswerAsync(db, key, requestId, fingerprint, ct) is { } firstAnswer)
            {
                return await ApplicationAnswerAsync(firstAnswer, ct);
            }

            throw;
        }

        var onRecord = await db.Outcomes.AsNoTracking()
            .Where(o => o.LearnerDocumentHash == hash)
            .OrderByDescending(o => o.SubmittedAt)
            .Select(o => new { o.LearnerDocumentType, o.LearnerDocumentSealed, o.LearnerName })
            .FirstOrDefaultAsync(ct);
        if (onRecord is null)
        {
            throw Problems.FailedPrecondition("LEARNER_NOT_ON_RECORD",
                "The bank holds no outcome of yours yet, so it does not know which workstation (工作站) serves you: ask an institution that taught you to submit an outcome first, or contact your workstation.");
        }

        // Routing needs the district in the number: read back in process, never logged or returned.
        if (!IdentityDocument.TryParse(onRecord.LearnerDocumentType, documents.Unseal(onRecord.LearnerDocumentSealed), out var document, out _)
            || documents.Hash(document!) != hash)
        {
            throw Problems.FailedPrecondition("LEARNER_NOT_ON_RECORD", "The bank's record of your document cannot be read back; contact your workstation (工作站).");
        }

        var outcome = intake.Prepare(new SubmitOutcomeValidation.Parsed(document!, onRecord.LearnerName, OutcomeKind.InformalOutcome, parsed.Detail, null),
            LearnerApplications.Issuer, now, caller.Actor, batchId: null, out var decision);
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
        var answer = await submissions.WriteAsync(new PendingSubmission(key, requestId, fingerprint, outcome, decision, caller.Actor, now) { Evidence = files }, ct);
        return await ApplicationAnswerAsync(answer, ct);
    }

    /// <remarks>"Not yours" — another learner's outcome, another workstation's — is answered as a file that does not exist.</remarks>
    [Authorize(Policy = Policies.OutcomesRead)]
    public override async Task<V1.GetEvidenceFileResponse> GetEvidenceFile(V1.GetEvidenceFileRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var outcomeId = ReviewValidation.OutcomeId(request.OutcomeId, violations);
        var fileId = Guid.TryParse(request.FileId, out var parsedId) ? parsedId : Guid.Empty;
        if (fileId == Guid.Empty)
        {
            violations.Add("file_id", "file_id is the id of an evidence file as the outcome lists it (a UUID).", "INVALID_FILE_ID");
        }

        violations.ThrowIfAny("The evidence file cannot be read");
        var ct = context.CancellationToken;
        var outcome = await db.Outcomes.AsNoTracking().FirstOrDefaultAsync(o => o.Id == outcomeId, ct);
        var file = outcome is not null && MayReadEvidence(Caller.From(context), outcome)
            ? await db.EvidenceFiles.AsNoTracking().FirstOrDefaultAsync(f => f.Id == fileId && f.OutcomeId == outcomeId, ct)
            : null;
        if (file is null)
        {
            throw Problems.NotFound("EVIDENCE_FILE_NOT_FOUND", $"No evidence file {fileId} of outcome {outcomeId} exists.");
        }

        return new V1.GetEvidenceFileResponse { File = OutcomeMapping.ToContract(file), Content = ByteString.CopyFrom(file.Content) };
    }

    /// <summary>The learner the outcome is about, reviewers of its workstation and administrators — not the issuer: the learner gave the files to the bank.</summary>
    private static bool MayReadEvidence(Caller caller, Outcome outcome) => caller.Role switch
    {
        Roles.Learner => caller.DocumentHash is not null && caller.DocumentHash == outcome.LearnerDocumentHash,
        Roles.Reviewer => caller.Workstation == outcome.WorkstationCode,
        Roles.Admin => true,
        _ => false,
    };

    private async Task<V1.ApplyForRecognitionResponse> ApplicationAnswerAsync(V1.SubmitOutcomeResponse answer, CancellationToken ct)
    {
        var id = Guid.Parse(answer.OutcomeId);
        var workstation = await db.Outcomes.AsNoTracking().Where(o => o.Id == id).Select(o => o.WorkstationCode).FirstAsync(ct);
        return new V1.ApplyForRecognitionResponse
        {
            OutcomeId = answer.OutcomeId,
            Status = answer.Status,
            StatusReason = answer.StatusReason,
            StatusReasonCode = answer.StatusReasonCode,
            Duplicate = answer.Duplicate,
            WorkstationCode = workstation,
            EvidenceFiles = { (await EvidenceOfAsync(db, [id], ct)).GetValueOrDefault(id) ?? [] },
        };
    }

    /// <summary>The evidence files (without their bytes) of these outcomes, in the order they were uploaded.</summary>
    public static async Task<Dictionary<Guid, List<V1.EvidenceFile>>> EvidenceOfAsync(Data.RecognitionDb db, IReadOnlyCollection<Guid> outcomeIds, CancellationToken ct)
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
        return files.GroupBy(f => f.OutcomeId).ToDictionary(g => g.Key, g => g.Select(OutcomeMapping.ToContract).ToList());
    }
}
