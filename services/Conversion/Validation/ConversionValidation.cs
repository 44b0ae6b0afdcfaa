using CreditBank.Conversion.Domain;
using CreditBank.Grpc;
using CreditBank.Grpc.Validation;
using V1 = CreditBank.Contracts.Conversion.V1;

namespace CreditBank.Conversion.Validation;

/// <summary>The rules of the conversion contract's requests, checked before anything is looked up or stored.</summary>
internal static class ConversionValidation
{
    public const int CodeLength = 40;
    public const int RequestIdLength = 100;
    public const int ReasonLength = 500;

    /// <summary>The largest rule file imported in one call (about 10,000 CSV rules).</summary>
    public const int MaxRuleFileCharacters = 2_000_000;

    /// <summary>The most item decisions one call makes.</summary>
    public const int MaxDecisions = 200;

    public static string ProgrammeCode(string value, FieldViolations violations) =>
        violations.Text("programme_code", value, CodeLength, "The programme code (专业代码)");

    public static (string Programme, RuleFileFormat Format, string Content) Import(V1.ImportRulesRequest request)
    {
        var violations = new FieldViolations();
        var programme = ProgrammeCode(request.ProgrammeCode, violations);
        var format = violations.Enum("format", request.Format, "The format of content");
        if (request.Content.Length > MaxRuleFileCharacters)
        {
            violations.Add("content", $"The rule file is {request.Content.Length:N0} characters; at most {MaxRuleFileCharacters:N0} are imported at once. Split it.",
                "FIELD_TOO_LONG");
        }

        violations.ThrowIfAny("The rules were not imported");
        return (programme, format == V1.RuleFileFormat.Csv ? RuleFileFormat.Csv : RuleFileFormat.Json, request.Content);
    }

    /// <summary>Every text a rule holds is plain text (rule ids, unit, institution and course codes): none is stored otherwise.</summary>
    public static void RulesAreText(IEnumerable<ConversionRule> rules)
    {
        var violations = new FieldViolations();
        foreach (var rule in rules)
        {
            var texts = new List<string> { rule.RuleId, rule.ProgrammeCode };
            texts.AddRange(rule.Exempts);
            texts.AddRange(rule.ExcludedInstitutions);
            texts.AddRange(rule.From.Keys);
            texts.AddRange(rule.Unless?.Keys ?? []);
            foreach (var text in texts)
            {
                if (Text.Clean(text, out var problem) is null || text.Length > 200)
                {
                    violations.Add("content", $"Rule '{Text.Echo(rule.RuleId)}': '{Text.Echo(text)}' {problem ?? "is too long"}.", "INVALID_TEXT");
                    break;
                }
            }
        }

        violations.ThrowIfAny("The rules were not imported");
    }

    public static (string Programme, RuleFileFormat Format) Export(V1.ExportRulesRequest request)
    {
        var violations = new FieldViolations();
        var programme = ProgrammeCode(request.ProgrammeCode, violations);
        var format = violations.Enum("format", request.Format, "The format", required: false);
        violations.ThrowIfAny("The rules cannot be exported");
        return (programme, format == V1.RuleFileFormat.Csv ? RuleFileFormat.Csv : RuleFileFormat.Json);
    }

    public static string Evaluate(V1.EvaluateConversionRequest request)
    {
        var violations = new FieldViolations();
        var programme = ProgrammeCode(request.ProgrammeCode, violations);
        violations.ThrowIfAny("The conversion cannot be evaluated");
        return programme;
    }

    public static (string RequestId, string Programme) Apply(V1.ApplyForConversionRequest request)
    {
        var violations = new FieldViolations();
        var requestId = violations.Text("request_id", request.RequestId, RequestIdLength, "request_id (a client-chosen id for retries)");
        var programme = ProgrammeCode(request.ProgrammeCode, violations);
        violations.ThrowIfAny("The application was not accepted");
        return (requestId, programme);
    }

    public static Guid ApplicationId(string value)
    {
        if (Guid.TryParse(value, out var id))
        {
            return id;
        }

        throw Problems.InvalidArgument("INVALID_APPLICATION_ID", "application_id is not an application id.",
            [new() { Field = "application_id", Reason = "INVALID_APPLICATION_ID", Description = "Use the application_id ApplyForConversion returned (a UUID)." }]);
    }

    /// <summary>The decisions' shape (numbers, reasons as text); whether each item exists and is still open is <see cref="Application.Decide"/>'s to say.</summary>
    public static IReadOnlyList<ItemVerdict> Decisions(V1.DecideConversionRequest request)
    {
        var violations = new FieldViolations();
        if (request.Decisions.Count == 0)
        {
            violations.Add("decisions", "Send at least one decision (item_number, accept, reason).", "REQUIRED_FIELD");
        }
        else if (request.Decisions.Count > MaxDecisions)
        {
            violations.Add("decisions", $"At most {MaxDecisions} decisions at once; got {request.Decisions.Count}.", "FIELD_TOO_LONG");
        }

        var decisions = new List<ItemVerdict>();
        for (var i = 0; i < request.Decisions.Count && i < MaxDecisions; i++)
        {
            var decision = request.Decisions[i];
            var reason = violations.Text($"decisions[{i}].reason", decision.Reason, ReasonLength, "The reason", required: false, multiline: true);
            decisions.Add(new ItemVerdict(decision.ItemNumber, decision.Accept, reason));
        }

        violations.ThrowIfAny("The decisions were not accepted");
        return decisions;
    }
}
