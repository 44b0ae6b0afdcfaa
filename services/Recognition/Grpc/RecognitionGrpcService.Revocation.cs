using CreditBank.Contracts.Events;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using Microsoft.AspNetCore.Authorization;
using CreditBank.Messaging;
using CreditBank.PersonalData;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Validation;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Grpc;

/// <summary>Revocation (撤销认定) and the learner's view of their outcomes.</summary>
internal sealed partial class RecognitionGrpcService
{
    /// <remarks>Who revokes comes from the token: the issuing institution (its own outcomes only) or an administrator.</remarks>
    [Authorize]
    public override async Task<V1.RevokeOutcomeResponse> RevokeOutcome(V1.RevokeOutcomeRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var byIssuer = caller.Is(Roles.Institution) && caller.Has(Scopes.OutcomesSubmit);
        if (!byIssuer && !caller.Is(Roles.Admin))
        {
            throw Problems.PermissionDenied("ISSUERS_AND_ADMINS_ONLY", "Only the institution that issued an outcome, or the bank's administrator, revokes it.");
        }

        if (byIssuer && request.InstitutionCode.Trim() is { Length: > 0 } named && named != caller.InstitutionCode)
        {
            throw Problems.PermissionDenied("NOT_YOUR_INSTITUTION", $"This client acts as institution {caller.InstitutionCode}, not '{SubmitOutcomeValidation.Shorten(named)}'.");
        }

        var violations = new FieldViolations();
        var revocation = ReviewValidation.Revoke(request, violations);
        violations.ThrowIfAny("The outcome cannot be revoked");
        var id = revocation.OutcomeId;

        var ct = context.CancellationToken;
        var institutionCode = caller.InstitutionCode ?? string.Empty;
        var actor = caller.Actor;
        var outcome = await Db.Outcomes.FirstOrDefaultAsync(o => o.Id == id, ct);
        // An issuer may revoke only what it issued; to anyone else another issuer's outcome does not exist.
        if (outcome is null || (byIssuer && outcome.InstitutionCode != institutionCode))
        {
            throw Problems.NotFound("OUTCOME_NOT_FOUND", $"No outcome (学习成果) {id} exists.");
        }

        if (outcome.Status == OutcomeStatus.Revoked)
        {
            return new V1.RevokeOutcomeResponse { Outcome = OutcomeMapping.ToContract(outcome), RevokedNow = false };
        }

        var now = time.GetUtcNow();
        var wasRecognised = outcome.Status == OutcomeStatus.Recognised;
        var reasonCode = request.Reason.ToString() switch
        {
            nameof(V1.RevocationReason.CertificateWithdrawn) => "CERTIFICATE_WITHDRAWN",
            nameof(V1.RevocationReason.Fraud) => "FRAUD",
            _ => "SUBMITTED_IN_ERROR",
        };
        var reason = $"Revoked (已撤销) by {actor}: {revocation.Comment}";
        outcome.Revoke(reasonCode, reason, now, actor);
        var task = await Db.ReviewTasks.FirstOrDefaultAsync(t => t.OutcomeId == id && t.DecidedAt == null, ct);
        task?.Withdraw(reasonCode, actor, now);
        intake.EnqueueRevocation(outcome, wasRecognised, actor, now);
        try
        {
            await Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A reviewer's decision or another revocation got there first: look again.
            Db.ChangeTracker.Clear();
            var current = await Db.Outcomes.AsNoTracking().FirstAsync(o => o.Id == id, CancellationToken.None);
            if (current.Status == OutcomeStatus.Revoked)
            {
                return new V1.RevokeOutcomeResponse { Outcome = OutcomeMapping.ToContract(current), RevokedNow = false };
            }

            throw Problems.FailedPrecondition("CONCURRENT_DECISION", "The outcome changed while it was being revoked; send the request again.");
        }

        LogRevoked(outcome.Id, actor, reasonCode, wasRecognised);
        return new V1.RevokeOutcomeResponse { Outcome = OutcomeMapping.ToContract(outcome), RevokedNow = true };
    }

    /// <remarks>A learner lists only their own outcomes (a document that is not theirs lists nothing); reviewers and administrators any.</remarks>
    [Authorize(Policy = Scopes.AccountsRead)]
    public override async Task<V1.ListLearnerOutcomesResponse> ListLearnerOutcomes(V1.ListLearnerOutcomesRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var document = SubmitOutcomeValidation.Document(request.DocumentType, request.DocumentNumber, violations, Beijing.Today(time.GetUtcNow()));
        violations.ThrowIfAny("The outcomes cannot be listed");
        var size = PageToken.Size(request.PageSize);
        var hash = documents.Hash(document!);
        var caller = Caller.From(context);
        if (caller.Is(Roles.Learner) && caller.DocumentHash != hash)
        {
            return new V1.ListLearnerOutcomesResponse();
        }

        // A learner holds tens of outcomes, not thousands: an offset is a fine position here.
        var offset = PageToken.Decode(request.PageToken, $"learner:{hash[..12]}");
        var outcomes = await Db.Outcomes.AsNoTracking()
            .Where(o => o.LearnerDocumentHash == hash)
            .OrderByDescending(o => o.SubmittedAt).ThenBy(o => o.Id)
            .Skip((int)offset).Take(size + 1)
            .ToListAsync(context.CancellationToken);
        return new V1.ListLearnerOutcomesResponse
        {
            Outcomes = { outcomes.Take(size).Select(OutcomeMapping.ToContract) },
            NextPageToken = outcomes.Count > size ? PageToken.Encode($"learner:{hash[..12]}", offset + size) : string.Empty,
        };
    }

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information,
        Message = "Outcome {OutcomeId} revoked by {Actor} ({ReasonCode}); had been recognised: {WasRecognised}")]
    private partial void LogRevoked(Guid outcomeId, string actor, string reasonCode, bool wasRecognised);
}
