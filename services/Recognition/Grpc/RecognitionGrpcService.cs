using System.Security.Cryptography;
using CreditBank.Contracts.Learning;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using CreditBank.PersonalData;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Revocations;
using CreditBank.Recognition.Submissions;
using CreditBank.Recognition.Validation;
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
    OutcomeIntake intake,
    SubmissionWriter submissions,
    OutcomeRevocation revocation,
    DocumentProtector documents,
    LearnerApplications applications,
    OutcomeChangeFeed changes,
    TimeProvider time) : V1.RecognitionService.RecognitionServiceBase
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
                $"This client submits as institution {caller.InstitutionCode ?? "(none)"}, not '{SubmitOutcomeValidation.Shorten(institutionCode)}': an institution submits outcomes only under its own code.");
        }

        var requestId = request.RequestId.Trim();
        var fingerprint = Fingerprint(request);
        var now = time.GetUtcNow();
        var catalogue = intake.Catalogue;
        SubmitOutcomeValidation.Parsed parsed;
        try
        {
            parsed = SubmitOutcomeValidation.Parse(request, catalogue, BeijingTime.Today(now));
        }
        catch (RpcException)
        {
            // A retry is answered as it was first answered, even if the same request would not pass today.
            if (await SubmissionWriter.FirstAnswerAsync(db, institutionCode, requestId, fingerprint, ct) is { } firstAnswer)
            {
                return firstAnswer;
            }

            throw;
        }

        var institution = catalogue.Institution(institutionCode)!;
        var outcome = intake.Prepare(parsed, institution, now, caller.Actor, batchId: null, out var decision);
        return await submissions.WriteAsync(new PendingSubmission(institution.Code, requestId, fingerprint, outcome, decision, caller.Actor, now), ct);
    }

    [Authorize(Policy = Policies.OutcomesRead)]
    public override async Task<V1.GetOutcomeResponse> GetOutcome(V1.GetOutcomeRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var id = ReviewValidation.OutcomeId(request.OutcomeId, violations);
        violations.ThrowIfAny("The outcome cannot be read");

        var outcome = await db.Outcomes.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, context.CancellationToken);
        // "Not yours" and "does not exist" look the same.
        if (outcome is null || !MayRead(Caller.From(context), outcome))
        {
            throw Problems.NotFound("OUTCOME_NOT_FOUND", $"No outcome (学习成果) {id} exists.");
        }

        var contract = OutcomeMapping.ToContract(outcome);
        contract.EvidenceFiles.Add((await EvidenceOfAsync(db, [id], context.CancellationToken)).GetValueOrDefault(id) ?? []);
        return new V1.GetOutcomeResponse { Outcome = contract };
    }

    /// <summary>The submitting institution, the learner it is about, reviewers of its workstation and administrators.</summary>
    private static bool MayRead(Caller caller, Outcome outcome) => caller.Role switch
    {
        Roles.Institution => caller.InstitutionCode == outcome.InstitutionCode,
        Roles.Learner => caller.DocumentHash is not null && caller.DocumentHash == outcome.LearnerDocumentHash,
        Roles.Reviewer => caller.Workstation == outcome.WorkstationCode,
        Roles.Admin => true,
        _ => false,
    };

    /// <summary>What makes two submissions "the same": every field but the request_id.</summary>
    /// <summary>What a retry must repeat to get the first answer: the request without its <c>request_id</c>.</summary>
    private static byte[] Fingerprint<TRequest>(TRequest request) where TRequest : IMessage<TRequest>
    {
        var copy = request.Clone();
        copy.Descriptor.FindFieldByName("request_id").Accessor.SetValue(copy, string.Empty);
        return SHA256.HashData(copy.ToByteArray());
    }
}

internal static class OutcomeMapping
{
    public static V1.Outcome ToContract(Outcome outcome)
    {
        var contract = new V1.Outcome
        {
            OutcomeId = outcome.Id.ToString(),
            InstitutionCode = outcome.InstitutionCode,
            Kind = outcome.Kind,
            Status = (V1.OutcomeStatus)(int)outcome.Status,
            StatusReason = outcome.StatusReason,
            StatusReasonCode = outcome.StatusReasonCode,
            LearnerDocumentMasked = outcome.LearnerDocumentMasked,
            LearnerName = outcome.LearnerName,
            Credits = (double)outcome.Credits,
            SubmittedAt = Timestamp.FromDateTimeOffset(outcome.SubmittedAt),
            DecidedAt = outcome.DecidedAt is { } decided ? Timestamp.FromDateTimeOffset(decided) : null,
            DecidedBy = outcome.DecidedBy ?? string.Empty,
            UnitCode = outcome.UnitCode ?? string.Empty,
            WorkstationCode = outcome.WorkstationCode,
            AttachmentSha256 = outcome.AttachmentSha256 ?? string.Empty,
            RevokedAt = outcome.RevokedAt is { } revoked ? Timestamp.FromDateTimeOffset(revoked) : null,
            RevokedBy = outcome.RevokedBy ?? string.Empty,
            BatchId = outcome.BatchId?.ToString() ?? string.Empty,
        };
        switch (outcome.Detail)
        {
            case CourseDetail course:
                contract.Course = new V1.Course
                {
                    CourseCode = course.CourseCode,
                    Title = course.CourseTitle,
                    Credits = (double)course.Credits,
                    Hours = course.Hours,
                    Term = course.Term,
                    Grade = new V1.Grade
                    {
                        Scheme = (V1.GradingScheme)(int)(course.Grade.Scheme ?? 0),
                        SchemeCode = course.Grade.SchemeCode ?? string.Empty,
                        Value = course.Grade.Value,
                    },
                };
                break;
            case SkillCertificateDetail certificate:
                contract.SkillCertificate = new V1.SkillCertificate
                {
                    CertificateName = certificate.CertificateName,
                    Level = (V1.SkillLevel)(int)certificate.Level,
                    CertificateNumber = certificate.CertificateNumber,
                    IssueDate = Date(certificate.IssueDate),
                };
                break;
            case QualificationDetail q:
                contract.VocationalQualification = new V1.VocationalQualification
                {
                    QualificationName = q.QualificationName, Level = (V1.QualificationLevel)q.Level, CertificateNumber = q.CertificateNumber, IssueDate = Date(q.IssueDate),
                };
                break;
            case SpecialAbilityDetail a:
                contract.SpecialAbility = new V1.SpecialAbility { AbilityName = a.AbilityName, CertificateNumber = a.CertificateNumber, IssueDate = Date(a.IssueDate) };
                break;
            case TrainingDetail t:
                contract.TrainingRecord = new V1.TrainingRecord
                {
                    Title = t.TrainingTitle, Hours = t.Hours, CompletionDate = Date(t.CompletionDate), CertificateNumber = t.CertificateNumber ?? string.Empty,
                };
                break;
            case AwardDetail w:
                contract.CompetitionAward = new V1.CompetitionAward
                {
                    CompetitionName = w.CompetitionName, Level = (V1.AwardLevel)(int)w.Level, Rank = (V1.AwardRank)(int)w.Rank,
                    CertificateNumber = w.CertificateNumber, AwardDate = Date(w.AwardDate),
                };
                break;
            case InformalDetail i:
                contract.InformalOutcome = new V1.InformalOutcome
                {
                    Type = (V1.InformalType)(int)i.Type, Title = i.InformalTitle, Provider = i.Provider, Hours = i.Hours,
                    CompletionDate = Date(i.CompletionDate), CertificateNumber = i.CertificateNumber ?? string.Empty,
                };
                break;
        }

        return contract;
    }

    public static V1.EvidenceFile ToContract(EvidenceFile file) => new()
    {
        FileId = file.Id.ToString(), FileName = file.FileName, ContentType = file.ContentType, SizeBytes = file.SizeBytes, Sha256 = file.Sha256,
    };

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
