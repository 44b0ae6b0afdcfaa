using System.Security.Cryptography;
using CreditBank.Contracts.Events;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using CreditBank.Messaging;
using CreditBank.PersonalData;
using CreditBank.Persistence;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Grpc;

/// <summary>creditbank.recognition.v1.RecognitionService: speaks the contract; the decisions are the domain's.</summary>
internal sealed partial class RecognitionGrpcService(
    RecognitionDb db,
    DocumentProtector documents,
    TimeProvider time,
    ILogger<RecognitionGrpcService> logger) : V1.RecognitionService.RecognitionServiceBase
{
    [Authorize(Policy = Scopes.OutcomesSubmit)]
    public override async Task<V1.SubmitOutcomeResponse> SubmitOutcome(V1.SubmitOutcomeRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = Caller.From(context);
        var institutionCode = request.InstitutionCode.Trim();
        if (institutionCode.Length > 0 && institutionCode != caller.InstitutionCode)
        {
            throw Problems.PermissionDenied("NOT_YOUR_INSTITUTION",
                $"This client submits as institution {caller.InstitutionCode ?? "(none)"}, not '{Shorten(institutionCode)}': an institution submits outcomes only under its own code.");
        }

        var requestId = request.RequestId.Trim();
        var fingerprint = Fingerprint(request);
        if (await FirstAnswerAsync(institutionCode, requestId, fingerprint, ct) is { } firstAnswer)
        {
            return firstAnswer;
        }

        var institution = institutionCode.Length is > 0 and <= 18
            ? await db.Institutions.AsNoTracking().FirstOrDefaultAsync(i => i.Code == institutionCode, ct)
            : null;
        var now = time.GetUtcNow();
        var parsed = SubmitOutcomeValidation.Parse(request, institution is not null, DateOnly.FromDateTime(now.UtcDateTime.AddHours(8)));
        var learner = documents.Protect(parsed.Document);
        var outcome = new Outcome
        {
            Id = Guid.CreateVersion7(now),
            InstitutionCode = institution!.Code,
            Kind = parsed.Course is null ? OutcomeKind.SkillCertificate : OutcomeKind.Course,
            LearnerDocumentType = learner.Type,
            LearnerDocumentHash = learner.Hash,
            LearnerDocumentMasked = learner.Masked,
            LearnerDocumentSealed = learner.Sealed,
            LearnerName = parsed.LearnerName,
            Course = parsed.Course,
            SkillCertificate = parsed.SkillCertificate,
            SubmittedAt = now,
        };
        var actor = caller.Actor;
        var decision = RecognitionPolicy.Decide(outcome, institution);
        outcome.Apply(decision, now, decision.Status == OutcomeStatus.PendingReview ? actor : "system");

        var response = new V1.SubmitOutcomeResponse
        {
            OutcomeId = outcome.Id.ToString(),
            Status = (V1.OutcomeStatus)(int)outcome.Status,
            StatusReason = outcome.StatusReason,
            Credits = (double)outcome.Credits,
        };
        db.Outcomes.Add(outcome);
        db.Submissions.Add(new Submission
        {
            InstitutionCode = institution.Code,
            RequestId = requestId,
            Fingerprint = fingerprint,
            OutcomeId = outcome.Id,
            Response = response.ToByteArray(),
            CreatedAt = now,
        });
        EnqueueDecisionEvent(outcome, learner, actor, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // The same request_id raced in on another connection and won: answer as it was answered.
            db.ChangeTracker.Clear();
            if (await FirstAnswerAsync(institution.Code, requestId, fingerprint, CancellationToken.None) is { } raced)
            {
                return raced;
            }

            throw;
        }

        LogSubmitted(outcome.Id, institution.Code, outcome.Kind, outcome.Status);
        return response;
    }

    [Authorize(Policy = Policies.OutcomesRead)]
    public override async Task<V1.GetOutcomeResponse> GetOutcome(V1.GetOutcomeRequest request, ServerCallContext context)
    {
        if (!Guid.TryParse(request.OutcomeId, out var id))
        {
            throw Problems.InvalidArgument("INVALID_OUTCOME_ID", "outcome_id is not an outcome id.",
                [new() { Field = "outcome_id", Description = "Use the outcome_id SubmitOutcome returned (a UUID).", Reason = "INVALID_OUTCOME_ID" }]);
        }

        var outcome = await db.Outcomes.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, context.CancellationToken);
        // "Not yours" and "does not exist" look the same.
        if (outcome is null || !MayRead(Caller.From(context), outcome))
        {
            throw Problems.NotFound("OUTCOME_NOT_FOUND", $"No outcome (学习成果) {id} exists.");
        }

        return new V1.GetOutcomeResponse { Outcome = OutcomeMapping.ToContract(outcome) };
    }

    /// <summary>The submitting institution, the learner it is about, reviewers and administrators.</summary>
    private static bool MayRead(Caller caller, Outcome outcome) => caller.Role switch
    {
        Roles.Institution => caller.InstitutionCode == outcome.InstitutionCode,
        Roles.Learner => caller.DocumentHash is not null && caller.DocumentHash == outcome.LearnerDocumentHash,
        Roles.Reviewer or Roles.Admin => true,
        _ => false,
    };

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private async Task<V1.SubmitOutcomeResponse?> FirstAnswerAsync(string institutionCode, string requestId, byte[] fingerprint, CancellationToken ct)
    {
        if (requestId.Length is 0 or > 100 || institutionCode.Length is 0 or > 18)
        {
            return null;
        }

        var first = await db.Submissions.AsNoTracking()
            .FirstOrDefaultAsync(s => s.InstitutionCode == institutionCode && s.RequestId == requestId, ct);
        if (first is null)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(first.Fingerprint, fingerprint))
        {
            throw Problems.AlreadyExists("REQUEST_ID_REUSED",
                $"request_id '{requestId}' was already used by this institution for a different submission (outcome {first.OutcomeId}); " +
                "use a new request_id for a new outcome, or resend the original request unchanged to get its answer.");
        }

        return V1.SubmitOutcomeResponse.Parser.ParseFrom(first.Response);
    }

    private void EnqueueDecisionEvent(Outcome outcome, ProtectedDocument learner, string actor, DateTimeOffset now)
    {
        switch (outcome.Status)
        {
            case OutcomeStatus.Recognised:
                db.Enqueue(new OutcomeRecognised
                {
                    EventId = Guid.CreateVersion7(now),
                    OccurredAt = now,
                    Actor = actor,
                    OutcomeId = outcome.Id,
                    InstitutionCode = outcome.InstitutionCode,
                    Learner = new LearnerIdentity(DocumentTypeName(learner.Type), learner.Hash, learner.Masked, learner.Sealed, outcome.LearnerName),
                    OutcomeKind = OutcomeMapping.KindName(outcome.Kind),
                    Title = outcome.Title,
                    Credits = outcome.Credits,
                });
                break;
            case OutcomeStatus.Rejected:
                db.Enqueue(new OutcomeRejected
                {
                    EventId = Guid.CreateVersion7(now),
                    OccurredAt = now,
                    Actor = actor,
                    OutcomeId = outcome.Id,
                    InstitutionCode = outcome.InstitutionCode,
                    LearnerDocumentHash = learner.Hash,
                    OutcomeKind = OutcomeMapping.KindName(outcome.Kind),
                    ReasonCode = outcome.StatusReasonCode,
                    Reason = outcome.StatusReason,
                });
                break;
        }
    }

    private static string DocumentTypeName(DocumentType type) => type switch
    {
        DocumentType.ResidentIdCard => "RESIDENT_ID_CARD",
        DocumentType.Passport => "PASSPORT",
        _ => "HMT_RESIDENCE_PERMIT",
    };

    /// <summary>What makes two submissions "the same": every field but the request_id.</summary>
    private static byte[] Fingerprint(V1.SubmitOutcomeRequest request)
    {
        var copy = request.Clone();
        copy.RequestId = string.Empty;
        return SHA256.HashData(copy.ToByteArray());
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information,
        Message = "Outcome {OutcomeId} ({Kind}) submitted by {InstitutionCode}: {Status}")]
    private partial void LogSubmitted(Guid outcomeId, string institutionCode, OutcomeKind kind, OutcomeStatus status);
}

internal static class OutcomeMapping
{
    public static string KindName(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Course => "COURSE",
        _ => "SKILL_CERTIFICATE",
    };

    public static V1.Outcome ToContract(Outcome outcome)
    {
        var contract = new V1.Outcome
        {
            OutcomeId = outcome.Id.ToString(),
            InstitutionCode = outcome.InstitutionCode,
            Kind = (V1.OutcomeKind)(int)outcome.Kind,
            Status = (V1.OutcomeStatus)(int)outcome.Status,
            StatusReason = outcome.StatusReason,
            LearnerDocumentMasked = outcome.LearnerDocumentMasked,
            LearnerName = outcome.LearnerName,
            Credits = (double)outcome.Credits,
            SubmittedAt = Timestamp.FromDateTimeOffset(outcome.SubmittedAt),
            DecidedAt = outcome.DecidedAt is { } decided ? Timestamp.FromDateTimeOffset(decided) : null,
        };
        if (outcome.Course is { } course)
        {
            contract.Course = new V1.Course
            {
                CourseCode = course.CourseCode,
                Title = course.Title,
                Credits = (double)course.Credits,
                Hours = course.Hours,
                Term = course.Term,
                Grade = new V1.Grade { Scheme = (V1.GradingScheme)(int)course.Grade.Scheme, Value = course.Grade.Value },
            };
        }
        else if (outcome.SkillCertificate is { } certificate)
        {
            contract.SkillCertificate = new V1.SkillCertificate
            {
                CertificateName = certificate.CertificateName,
                Level = (V1.SkillLevel)(int)certificate.Level,
                CertificateNumber = certificate.CertificateNumber,
                IssueDate = certificate.IssueDate.ToString("yyyy-MM-dd"),
            };
        }

        return contract;
    }
}
