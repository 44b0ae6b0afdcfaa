using CreditBank.Contracts.Events;
using CreditBank.Contracts.Learning;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using CreditBank.Messaging;
using CreditBank.PersonalData;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Validation;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
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
        var revoke = ReviewValidation.Revoke(request, violations);
        violations.ThrowIfAny("The outcome cannot be revoked");
        var reasonCode = request.Reason switch
        {
            V1.RevocationReason.CertificateWithdrawn => "CERTIFICATE_WITHDRAWN",
            V1.RevocationReason.Fraud => "FRAUD",
            _ => "SUBMITTED_IN_ERROR",
        };
        var (outcome, revokedNow) = await revocation.RevokeAsync(revoke.OutcomeId, byIssuer ? caller.InstitutionCode ?? string.Empty : null, caller.Actor,
            reasonCode, revoke.Comment, context.CancellationToken);
        return new V1.RevokeOutcomeResponse { Outcome = OutcomeMapping.ToContract(outcome), RevokedNow = revokedNow };
    }

    /// <remarks>
    /// A learner lists only their own outcomes (a document that is not theirs lists nothing), and may name no document at
    /// all for their own (the one they were verified with): the portal never needs the number. Reviewers and
    /// administrators any.
    /// </remarks>
    [Authorize(Policy = Scopes.AccountsRead)]
    public override async Task<V1.ListLearnerOutcomesResponse> ListLearnerOutcomes(V1.ListLearnerOutcomesRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        string hash;
        if (caller.Is(Roles.Learner) && caller.DocumentHash is { Length: > 0 } own
            && request.DocumentType == V1.DocumentType.Unspecified && request.DocumentNumber.Length == 0)
        {
            hash = own;
        }
        else
        {
            var violations = new FieldViolations();
            var document = SubmitOutcomeValidation.Document(request.DocumentType, request.DocumentNumber, violations, BeijingTime.Today(time.GetUtcNow()));
            violations.ThrowIfAny("The outcomes cannot be listed");
            hash = documents.Hash(document!);
        }

        var size = PageToken.Size(request.PageSize);
        if (caller.Is(Roles.Learner) && caller.DocumentHash != hash)
        {
            return new V1.ListLearnerOutcomesResponse();
        }

        // A learner holds tens of outcomes, not thousands: an offset is a fine position here.
        var offset = PageToken.Decode(request.PageToken, $"learner:{hash[..12]}");
        var outcomes = await db.Outcomes.AsNoTracking()
            .Where(o => o.LearnerDocumentHash == hash)
            .OrderByDescending(o => o.SubmittedAt).ThenBy(o => o.Id)
            .Skip((int)offset).Take(size + 1)
            .ToListAsync(context.CancellationToken);
        var evidence = await EvidenceOfAsync(db, outcomes.Take(size).Select(o => o.Id).ToList(), context.CancellationToken);
        return new V1.ListLearnerOutcomesResponse
        {
            Outcomes =
            {
                outcomes.Take(size).Select(o =>
                {
                    var contract = OutcomeMapping.ToContract(o);
                    contract.EvidenceFiles.Add(evidence.GetValueOrDefault(o.Id) ?? []);
                    return contract;
                }),
            },
            NextPageToken = outcomes.Count > size ? PageToken.Encode($"learner:{hash[..12]}", offset + size) : string.Empty,
        };
    }
}
