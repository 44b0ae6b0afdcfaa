using CreditBank.Contracts.Learning;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
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
    /// <remarks>The learner is the token's verified document (its keyed hash): the request names no learner.</remarks>
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
        var fingerprint = Fingerprint(request);
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

        return await ApplicationAnswerAsync(await applications.ApplyAsync(hash, requestId, fingerprint, parsed, caller.Actor, now, ct), ct);
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
        var file = await applications.EvidenceFileAsync(outcomeId, fileId, Caller.From(context), context.CancellationToken)
            ?? throw Problems.NotFound("EVIDENCE_FILE_NOT_FOUND", $"No evidence file {fileId} of outcome {outcomeId} exists.");
        return new V1.GetEvidenceFileResponse { File = OutcomeMapping.ToContract(file), Content = ByteString.CopyFrom(file.Content) };
    }

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

    /// <summary>The evidence files (without their bytes) of these outcomes, as the contract lists them.</summary>
    public static async Task<Dictionary<Guid, List<V1.EvidenceFile>>> EvidenceOfAsync(Data.RecognitionDb db, IReadOnlyCollection<Guid> outcomeIds, CancellationToken ct) =>
        (await LearnerApplications.EvidenceOfAsync(db, outcomeIds, ct)).ToDictionary(e => e.Key, e => e.Value.Select(OutcomeMapping.ToContract).ToList());
}
