using CreditBank.Recognition.Domain;
using Google.Protobuf.WellKnownTypes;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Batches;

internal static class BatchMapping
{
    /// <summary>A line as a submission, so that one validation serves both paths.</summary>
    public static V1.SubmitOutcomeRequest ToSubmission(V1.BatchLine line)
    {
        var request = new V1.SubmitOutcomeRequest { Learner = line.Learner, AttachmentSha256 = line.AttachmentSha256 };
        switch (line.OutcomeCase)
        {
            case V1.BatchLine.OutcomeOneofCase.Course: request.Course = line.Course; break;
            case V1.BatchLine.OutcomeOneofCase.SkillCertificate: request.SkillCertificate = line.SkillCertificate; break;
            case V1.BatchLine.OutcomeOneofCase.VocationalQualification: request.VocationalQualification = line.VocationalQualification; break;
            case V1.BatchLine.OutcomeOneofCase.SpecialAbility: request.SpecialAbility = line.SpecialAbility; break;
            case V1.BatchLine.OutcomeOneofCase.TrainingRecord: request.TrainingRecord = line.TrainingRecord; break;
            case V1.BatchLine.OutcomeOneofCase.CompetitionAward: request.CompetitionAward = line.CompetitionAward; break;
            case V1.BatchLine.OutcomeOneofCase.InformalOutcome: request.InformalOutcome = line.InformalOutcome; break;
        }

        return request;
    }

    public static string? Pack(IReadOnlyList<V1.LineViolation> violations) => violations.Count == 0
        ? null
        : string.Join('\n', violations.Select(v => $"{Clean(v.Field)}\t{Clean(v.Reason)}\t{Clean(v.Description)}"));

    public static IEnumerable<V1.LineViolation> Unpack(string? packed) => string.IsNullOrEmpty(packed)
        ? []
        : packed.Split('\n').Select(l => l.Split('\t', 3)).Select(p => new V1.LineViolation { Field = p[0], Reason = p[1], Description = p.Length > 2 ? p[2] : string.Empty });

    public static V1.BatchLineResult ToContract(BatchLineRecord line) => new()
    {
        LineNumber = line.LineNumber,
        Result = (V1.LineResult)(int)line.Result,
        OutcomeId = line.OutcomeId?.ToString() ?? string.Empty,
        OutcomeStatus = (V1.OutcomeStatus)(int)(line.OutcomeStatus ?? 0),
        Credits = (double)line.Credits,
        Violations = { Unpack(line.Violations) },
    };

    public static V1.Batch ToContract(Batch batch, bool dryRun = false) => new()
    {
        BatchId = dryRun ? string.Empty : batch.Id.ToString(),
        RequestId = batch.RequestId,
        InstitutionCode = batch.InstitutionCode,
        State = (V1.BatchState)(int)batch.State,
        DryRun = dryRun,
        TotalLines = batch.TotalLines,
        LinesDone = batch.LinesDone,
        Accepted = batch.Accepted,
        Duplicates = batch.Duplicates,
        Invalid = batch.Invalid,
        Recognised = batch.Recognised,
        PendingReview = batch.PendingReview,
        Rejected = batch.Rejected,
        CreatedAt = Timestamp.FromDateTimeOffset(batch.CreatedAt),
        CompletedAt = batch.CompletedAt is { } done ? Timestamp.FromDateTimeOffset(done) : null,
    };

    private static string Clean(string text) => text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
}
