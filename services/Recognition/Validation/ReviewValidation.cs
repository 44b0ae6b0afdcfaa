using CreditBank.Grpc;
using CreditBank.Recognition.Domain;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Validation;

/// <summary>The rules of the review and revocation requests: ids, units, credits, reasons and the words a learner reads.</summary>
internal static class ReviewValidation
{
    public const int CommentLength = 500;

    public sealed record Recognition(Guid OutcomeId, AccreditationUnit? Unit, decimal Credits, string Comment);

    public sealed record Rejection(Guid OutcomeId, V1.RejectionReason Reason, string Comment);

    public sealed record Revocation(Guid OutcomeId, V1.RevocationReason Reason, string Comment);

    /// <summary>A workstation code as the path names it (empty: the reviewer's own).</summary>
    public static string Workstation(string code, FieldViolations violations) =>
        violations.Text("workstation_code", code, SubmitOutcomeValidation.CodeLength, "The workstation code (工作站)", required: false);

    public static Guid OutcomeId(string value, FieldViolations violations, string field = "outcome_id")
    {
        if (Guid.TryParse(value, out var id))
        {
            return id;
        }

        violations.Add(field, "Use the outcome_id SubmitOutcome returned (a UUID).", "INVALID_OUTCOME_ID");
        return Guid.Empty;
    }

    public static Recognition Recognise(V1.RecogniseOutcomeRequest request, CatalogueSnapshot catalogue, FieldViolations violations)
    {
        var id = OutcomeId(request.OutcomeId, violations);
        var code = violations.Text("unit_code", request.UnitCode, SubmitOutcomeValidation.CodeLength, "The accreditation unit (认证单元) the outcome is recognised as");
        var unit = code.Length == 0 ? null : catalogue.Unit(code);
        var credits = 0m;
        if (code.Length > 0 && unit is null)
        {
            violations.Add("unit_code", $"'{CreditBank.Grpc.Validation.Text.Echo(code)}' is not an accreditation unit; see GET /v1/accreditationUnits.", "UNKNOWN_UNIT");
        }
        else if (unit is not null)
        {
            credits = SubmitOutcomeValidation.CheckCredits(request.Credits, unit.MaxCredits, "credits", violations);
            if (credits > 0 && credits < unit.MinCredits)
            {
                violations.Add("credits", $"Unit {unit.Code} grants {unit.MinCredits}–{unit.MaxCredits} credits; got {credits}.", "INVALID_CREDITS");
            }
        }

        var comment = violations.Text("comment", request.Comment, CommentLength, "The comment", required: false, multiline: true);
        return new Recognition(id, unit, credits, comment);
    }

    public static Rejection Reject(V1.RejectOutcomeRequest request, FieldViolations violations) => new(
        OutcomeId(request.OutcomeId, violations),
        violations.Enum("reason", request.Reason, "The reason"),
        violations.Text("comment", request.Comment, CommentLength, "A comment for the learner (审核意见)", multiline: true));

    public static Revocation Revoke(V1.RevokeOutcomeRequest request, FieldViolations violations) => new(
        OutcomeId(request.OutcomeId, violations),
        violations.Enum("reason", request.Reason, "The reason"),
        violations.Text("comment", request.Comment, CommentLength, "A comment for the learner (说明)", multiline: true));
}
