using System.Text;
using CreditBank.Credentials.Data;
using CreditBank.Credentials.Domain;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using Google.Api;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using V1 = CreditBank.Contracts.Credentials.V1;

namespace CreditBank.Credentials.Grpc;

/// <summary>creditbank.credentials.v1.CredentialsService: issuing, downloading and verifying credentials; signed decisions.</summary>
internal sealed partial class CredentialsGrpcService(Issuance issuance, CredentialStore store, CredentialVerifier verifier, CredentialsOptions options,
    TimeProvider time, ILogger<CredentialsGrpcService> logger) : V1.CredentialsService.CredentialsServiceBase
{
    [Authorize(Policy = Scopes.AccountsRead)]
    public override async Task<V1.IssueOutcomeCredentialResponse> IssueOutcomeCredential(V1.IssueOutcomeCredentialRequest request, ServerCallContext context)
    {
        var learner = LearnerOf(Caller.From(context));
        var outcomeId = Id(request.OutcomeId, "outcome_id", "INVALID_OUTCOME_ID", "Use the outcome_id the outcome was submitted with.");
        var issued = await issuance.OutcomeAsync(outcomeId, learner, context.CancellationToken)
            ?? throw Problems.NotFound("OUTCOME_NOT_FOUND", $"No banked outcome {request.OutcomeId} exists.");
        if (issued.Revoked)
        {
            throw Problems.FailedPrecondition("OUTCOME_REVOKED", $"Outcome {request.OutcomeId} was revoked; no credential states it any more.");
        }

        LogIssued(issued.Record!.Id, "achievement", 1);
        return new V1.IssueOutcomeCredentialResponse { Credential = ToContract(issued.Record, issued.Record.Jwt) };
    }

    [Authorize(Policy = Scopes.AccountsRead)]
    public override async Task<V1.IssueTranscriptResponse> IssueTranscript(V1.IssueTranscriptRequest request, ServerCallContext context)
    {
        var transcript = await IssueTranscriptAsync(context);
        using var jwt = transcript.Jwt;
        return new V1.IssueTranscriptResponse
        {
            Credential = ToContract(transcript.Record, jwt.ToString()),
            EmbeddedCredentialIds = { transcript.Embedded.Select(i => $"urn:uuid:{i}") },
        };
    }

    /// <remarks>
    /// The answer is written from the pooled bytes the transcript was signed into (no string of it, no copy but the
    /// response's own); they go back to the pool when the response is done.
    /// </remarks>
    [Authorize(Policy = Scopes.AccountsRead)]
    public override async Task<HttpBody> IssueTranscriptFile(V1.IssueTranscriptRequest request, ServerCallContext context)
    {
        var transcript = await IssueTranscriptAsync(context);
        var response = context.GetHttpContext().Response;
        response.RegisterForDispose(transcript.Jwt);
        response.Headers["credential-id"] = $"urn:uuid:{transcript.Record.Id}";
        response.Headers["verification-url"] = options.VerificationUrl(transcript.Record.Id);
        return JwtFile(context, transcript.Record.Id, UnsafeByteOperations.UnsafeWrap(transcript.Jwt.Memory));
    }

    [Authorize(Policy = Scopes.AccountsRead)]
    public override async Task<V1.GetCredentialResponse> GetCredential(V1.GetCredentialRequest request, ServerCallContext context)
    {
        var (issued, jwt) = await VisibleAsync(request.CredentialId, Caller.From(context), context.CancellationToken);
        return new() { Credential = ToContract(issued, jwt) };
    }

    [Authorize(Policy = Scopes.AccountsRead)]
    public override async Task<HttpBody> DownloadCredential(V1.DownloadCredentialRequest request, ServerCallContext context)
    {
        var (issued, jwt) = await VisibleAsync(request.CredentialId, Caller.From(context), context.CancellationToken);
        return JwtFile(context, issued.Id, ByteString.CopyFrom(jwt, Encoding.ASCII));
    }

    [AllowAnonymous]
    public override async Task<V1.VerifyCredentialResponse> VerifyCredential(V1.VerifyCredentialRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        if (request.Jwt.Length > 0)
        {
            return ToContract(await verifier.VerifyAsync(request.Jwt, now, ct));
        }

        if (request.CredentialId.Length == 0)
        {
            throw Problems.InvalidArgument("REQUIRED_FIELD", "Give the credential as jwt, or its credential_id.",
                [new() { Field = "jwt", Reason = "REQUIRED_FIELD", Description = "A VC-JWT (header.payload.signature), or credential_id instead." }]);
        }

        var issued = ParseCredentialId(request.CredentialId) is { } id ? await issuance.IssuedAsync(id, ct) : null;
        return issued is not { } found
            ? ToContract(Verification.Invalid("UNKNOWN_CREDENTIAL", $"The bank issued no credential {request.CredentialId}.") with { CredentialId = request.CredentialId })
            : ToContract(await verifier.VerifyAsync(found.Jwt, now, ct));
    }

    [Authorize(Policy = Policies.OutcomesRead)]
    public override async Task<V1.GetOutcomeDecisionsResponse> GetOutcomeDecisions(V1.GetOutcomeDecisionsRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var outcomeId = Id(request.OutcomeId, "outcome_id", "INVALID_OUTCOME_ID", "Use the outcome_id the outcome was submitted with.");
        var decisions = (await store.DecisionsAsync(outcomeId, context.CancellationToken)).Where(d => d.Kind != DecisionKind.Conversion).ToList();
        var visible = decisions.Count > 0 && caller.Role switch
        {
            Roles.Learner => caller.DocumentHash == decisions[0].LearnerDocumentHash,
            Roles.Institution => caller.InstitutionCode == decisions[0].InstitutionCode,
            Roles.Admin => true,
            _ => false,
        };
        return visible
            ? new V1.GetOutcomeDecisionsResponse { Decisions = { decisions.Select(ToContract) } }
            : throw Problems.NotFound("OUTCOME_NOT_FOUND", $"No signed decision about outcome {request.OutcomeId} exists.");
    }

    [Authorize(Policy = Policies.ConversionsRead)]
    public override async Task<V1.GetConversionDecisionResponse> GetConversionDecision(V1.GetConversionDecisionRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var applicationId = Id(request.ApplicationId, "application_id", "INVALID_APPLICATION_ID", "Use the application_id ApplyForConversion returned.");
        var decision = (await store.DecisionsAsync(applicationId, context.CancellationToken)).FirstOrDefault(d => d.Kind == DecisionKind.Conversion);
        var visible = decision is not null && caller.Role switch
        {
            Roles.Learner => caller.DocumentHash == decision.LearnerDocumentHash,
            Roles.Institution => caller.InstitutionCode == decision.InstitutionCode,
            Roles.Admin or Roles.Reviewer => true,
            _ => false,
        };
        return visible
            ? new V1.GetConversionDecisionResponse { Decision = ToContract(decision!) }
            : throw Problems.NotFound("APPLICATION_NOT_FOUND", $"No signed decision of conversion application {request.ApplicationId} exists.");
    }

    /// <summary>A credential as its <c>.jwt</c> file: <c>application/jwt</c>, an attachment named by its id.</summary>
    private static HttpBody JwtFile(ServerCallContext context, Guid credentialId, ByteString jwt)
    {
        context.GetHttpContext().Response.Headers.ContentDisposition = $"attachment; filename=\"{credentialId}.jwt\"";
        return new HttpBody { ContentType = "application/jwt", Data = jwt };
    }

    /// <summary>The caller's transcript, issued now; refused to anyone but a learner, not found when nothing of theirs is banked.</summary>
    private async Task<Issuance.IssuedTranscript> IssueTranscriptAsync(ServerCallContext context)
    {
        var learner = LearnerOf(Caller.From(context));
        var transcript = await issuance.TranscriptAsync(learner, context.CancellationToken)
            ?? throw Problems.NotFound("NOTHING_BANKED", "Nothing of yours is banked yet, so there is no transcript to issue.");
        LogIssued(transcript.Record.Id, "transcript", transcript.Embedded.Count);
        return transcript;
    }

    /// <summary>The credential if the caller may see it: the learner it is about, or an administrator; anyone else is told it does not exist.</summary>
    private async Task<(IssuedCredentialRecord Record, string Jwt)> VisibleAsync(string credentialId, Caller caller, CancellationToken ct)
    {
        var issued = ParseCredentialId(credentialId) is { } id ? await issuance.IssuedAsync(id, ct) : null;
        return issued is { } found && (caller.Is(Roles.Admin) || (caller.Is(Roles.Learner) && caller.DocumentHash == found.Record.LearnerDocumentHash))
            ? found
            : throw Problems.NotFound("CREDENTIAL_NOT_FOUND", $"No credential {credentialId} exists.");
    }

    /// <summary>A credential id as the bank writes it (<c>urn:uuid:…</c>) or the bare UUID.</summary>
    private static Guid? ParseCredentialId(string id) =>
        Guid.TryParse(id.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? id["urn:uuid:".Length..] : id, out var guid) ? guid : null;

    private static Guid Id(string value, string field, string reason, string hint) => Guid.TryParse(value, out var id)
        ? id
        : throw Problems.InvalidArgument(reason, $"{field} is not an id.", [new() { Field = field, Reason = reason, Description = hint }]);

    private static string LearnerOf(Caller caller) => caller.Is(Roles.Learner) && caller.DocumentHash is { } hash
        ? hash
        : throw Problems.PermissionDenied("LEARNERS_ONLY", "Only a signed-in, verified learner is issued credentials, for their own outcomes.");

    /// <remarks>The contract's jwt is a proto string: the VC-JWT goes out as the string it was signed into, not copied again.</remarks>
    private V1.IssuedCredential ToContract(IssuedCredentialRecord issued, string jwt) => new()
    {
        CredentialId = $"urn:uuid:{issued.Id}",
        Kind = issued.Kind == IssuedKind.Transcript ? V1.CredentialKind.Transcript : V1.CredentialKind.Achievement,
        Jwt = jwt,
        VerificationUrl = options.VerificationUrl(issued.Id),
        IssuedAt = Timestamp.FromDateTimeOffset(issued.IssuedAt),
        OutcomeIds = { issued.OutcomeIds.Split(',', StringSplitOptions.RemoveEmptyEntries) },
    };

    private static V1.VerifyCredentialResponse ToContract(Verification verification)
    {
        var response = new V1.VerifyCredentialResponse
        {
            Status = Status(verification.Status),
            Reasons = { verification.Reasons.Select(r => new V1.VerificationReason { Code = r.Code, Message = r.Message }) },
            CredentialId = verification.CredentialId ?? string.Empty,
            CredentialType = verification.CredentialType ?? string.Empty,
            IssuerId = verification.IssuerId ?? string.Empty,
            Name = verification.Name ?? string.Empty,
            Entries =
            {
                verification.Entries.Select(e => new V1.VerifiedEntry
                {
                    CredentialId = e.CredentialId ?? string.Empty,
                    Name = e.Name ?? string.Empty,
                    Status = Status(e.Status),
                    Reasons = { e.Reasons.Select(r => new V1.VerificationReason { Code = r.Code, Message = r.Message }) },
                }),
            },
        };
        if (verification.ValidFrom is { } from)
        {
            response.ValidFrom = Timestamp.FromDateTimeOffset(from);
        }

        return response;
    }

    private static V1.VerificationStatus Status(VerificationStatus status) => status switch
    {
        VerificationStatus.Verified => V1.VerificationStatus.Verified,
        VerificationStatus.Revoked => V1.VerificationStatus.Revoked,
        _ => V1.VerificationStatus.Invalid,
    };

    private static V1.SignedDecision ToContract(DecisionRecord decision) => new()
    {
        Kind = decision.Kind switch
        {
            DecisionKind.Recognition => V1.DecisionKind.Recognition,
            DecisionKind.Rejection => V1.DecisionKind.Rejection,
            DecisionKind.Revocation => V1.DecisionKind.Revocation,
            _ => V1.DecisionKind.Conversion,
        },
        CanonicalJson = decision.CanonicalJson,
        DetachedJws = decision.DetachedJws,
        KeyId = decision.KeyId,
        DecidedAt = Timestamp.FromDateTimeOffset(decision.DecidedAt),
    };

    [LoggerMessage(EventId = 5501, Level = LogLevel.Information, Message = "Issued {Kind} credential {CredentialId} stating {Count} credential(s)")]
    private partial void LogIssued(Guid credentialId, string kind, int count);
}
