using System.Globalization;
using System.Text.Json.Nodes;
using CreditBank.Contracts.Canonical;
using CreditBank.Contracts.Events;

namespace CreditBank.Credentials.Domain;

public enum DecisionKind
{
    Recognition,
    Rejection,
    Revocation,
    Conversion,
}

/// <summary>A decision as signed: its canonical JSON and the detached JWS over exactly those bytes.</summary>
public sealed record SignedDecision(DecisionKind Kind, Guid SubjectId, string InstitutionCode, string LearnerDocumentHash, string CanonicalJson,
    string DetachedJws, string KeyId, DateTimeOffset DecidedAt);

/// <summary>
/// Who decided what, under which rule: each recognition, rejection, revocation and conversion decision as canonical
/// JSON (RFC 8785), citing the unit or rule version and the SHA-256 of that version's definition, signed with a
/// detached JWS (RFC 7515 Appendix F) by the bank's active credential key.
/// </summary>
public sealed class DecisionSigner(CredentialsOptions options, IssuerKeyRing keys)
{
    public SignedDecision Recognition(RecognisedOutcome outcome, OutcomesRecognised recognised)
    {
        var decision = Base("RecognitionDecision", recognised.Actor, recognised.OccurredAt, recognised.EventId);
        decision["outcomeId"] = outcome.OutcomeId.ToString();
        decision["institutionCode"] = outcome.InstitutionCode;
        decision["learnerDocumentHash"] = outcome.Learner.DocumentHash;
        decision["outcomeKind"] = outcome.OutcomeKind;
        decision["title"] = outcome.Title;
        decision["credits"] = (double)outcome.Credits;
        if (recognised.BatchId is { } batch)
        {
            decision["batchId"] = batch.ToString();
        }

        if (outcome.Facts is { UnitCode: { } unit } facts)
        {
            decision["unit"] = new JsonObject
            {
                ["code"] = unit,
                ["version"] = facts.UnitVersion,
                ["definitionSha256"] = facts.UnitDefinitionSha256,
            };
        }

        return Sign(DecisionKind.Recognition, outcome.OutcomeId, outcome.InstitutionCode, outcome.Learner.DocumentHash, decision, recognised.OccurredAt);
    }

    public SignedDecision Rejection(RejectedOutcome outcome, OutcomesRejected rejected)
    {
        var decision = Base("RejectionDecision", rejected.Actor, rejected.OccurredAt, rejected.EventId);
        decision["outcomeId"] = outcome.OutcomeId.ToString();
        decision["institutionCode"] = outcome.InstitutionCode;
        decision["learnerDocumentHash"] = outcome.LearnerDocumentHash;
        decision["outcomeKind"] = outcome.OutcomeKind;
        decision["reasonCode"] = outcome.ReasonCode;
        decision["reason"] = outcome.Reason;
        return Sign(DecisionKind.Rejection, outcome.OutcomeId, outcome.InstitutionCode, outcome.LearnerDocumentHash, decision, rejected.OccurredAt);
    }

    public SignedDecision Revocation(OutcomeRevoked revoked)
    {
        var decision = Base("RevocationDecision", revoked.Actor, revoked.OccurredAt, revoked.EventId);
        decision["outcomeId"] = revoked.OutcomeId.ToString();
        decision["institutionCode"] = revoked.InstitutionCode;
        decision["learnerDocumentHash"] = revoked.Learner.DocumentHash;
        decision["outcomeKind"] = revoked.OutcomeKind;
        decision["title"] = revoked.Title;
        decision["wasRecognised"] = revoked.WasRecognised;
        decision["creditsTakenBack"] = (double)revoked.Credits;
        decision["reasonCode"] = revoked.ReasonCode;
        decision["reason"] = revoked.Reason;
        return Sign(DecisionKind.Revocation, revoked.OutcomeId, revoked.InstitutionCode, revoked.Learner.DocumentHash, decision, revoked.OccurredAt);
    }

    /// <summary>A decided application's accepted items, as posted to the learner's ledger.</summary>
    public SignedDecision Conversion(CreditsConverted converted)
    {
        var decision = Base("ConversionDecision", converted.Actor, converted.OccurredAt, converted.EventId);
        decision["applicationId"] = converted.ApplicationId.ToString();
        decision["programmeCode"] = converted.ProgrammeCode;
        decision["institutionCode"] = converted.InstitutionCode;
        decision["learnerDocumentHash"] = converted.LearnerDocumentHash;
        decision["acceptedItems"] = new JsonArray([.. converted.Items.OrderBy(i => i.ItemNumber).Select(i => (JsonNode)new JsonObject
        {
            ["itemNumber"] = i.ItemNumber,
            ["rule"] = new JsonObject { ["id"] = i.RuleId, ["version"] = i.RuleVersion, ["definitionSha256"] = i.RuleDefinitionSha256 },
            ["outcomeIds"] = new JsonArray([.. i.Outcomes.Select(o => (JsonNode)o.OutcomeId.ToString())]),
            ["courseCodes"] = new JsonArray([.. i.CourseCodes.Select(c => (JsonNode)c)]),
            ["credits"] = (double)i.Credits,
        })]);
        return Sign(DecisionKind.Conversion, converted.ApplicationId, converted.InstitutionCode, converted.LearnerDocumentHash, decision, converted.OccurredAt);
    }

    private JsonObject Base(string type, string actor, DateTimeOffset at, Guid eventId) => new()
    {
        ["type"] = type,
        ["signedBy"] = options.IssuerId,
        ["decidedBy"] = actor,
        ["decidedAt"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["eventId"] = eventId.ToString(),
    };

    private SignedDecision Sign(DecisionKind kind, Guid subject, string institution, string learner, JsonObject decision, DateTimeOffset at)
    {
        var canonical = CanonicalJson.Serialize(decision);
        var jws = Jws.SignDetached(System.Text.Encoding.UTF8.GetBytes(canonical), keys.Active);
        return new SignedDecision(kind, subject, institution, learner, canonical, jws, keys.Active.KeyId, at);
    }
}
