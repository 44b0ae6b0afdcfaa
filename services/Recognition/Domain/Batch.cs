namespace CreditBank.Recognition.Domain;

public enum BatchState
{
    /// <summary>Lines are arriving, or the stream stopped early: the same request_id resumes it.</summary>
    Receiving = 1,

    Completed = 2,
}

public enum LineResult
{
    Accepted = 1,
    Duplicate = 2,
    Invalid = 3,
}

/// <summary>A batch (批量提交) of outcomes from one institution, idempotent by (institution, request_id).</summary>
public sealed class Batch
{
    public Guid Id { get; init; }

    public required string InstitutionCode { get; init; }

    public required string RequestId { get; init; }

    public BatchState State { get; set; } = BatchState.Receiving;

    /// <summary>As the client declared it; 0 when unknown.</summary>
    public long TotalLines { get; set; }

    public long LinesDone { get; set; }

    /// <summary>The highest line number stored: a resumed stream skips lines up to it.</summary>
    public long LastLine { get; set; }

    public long Accepted { get; set; }

    public long Duplicates { get; set; }

    public long Invalid { get; set; }

    public long Recognised { get; set; }

    public long PendingReview { get; set; }

    public long Rejected { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Counts one line's result.</summary>
    public void Count(BatchLineRecord line)
    {
        LinesDone++;
        LastLine = Math.Max(LastLine, line.LineNumber);
        switch (line.Result)
        {
            case LineResult.Accepted:
                Accepted++;
                switch (line.OutcomeStatus)
                {
                    case OutcomeStatus.Recognised: Recognised++; break;
                    case OutcomeStatus.PendingReview: PendingReview++; break;
                    case OutcomeStatus.Rejected: Rejected++; break;
                }

                break;
            case LineResult.Duplicate: Duplicates++; break;
            default: Invalid++; break;
        }
    }
}

/// <summary>One line's result, kept so an institution can page through them after the batch.</summary>
public sealed class BatchLineRecord
{
    public Guid BatchId { get; init; }

    public long LineNumber { get; init; }

    public LineResult Result { get; init; }

    public Guid? OutcomeId { get; init; }

    public OutcomeStatus? OutcomeStatus { get; init; }

    public decimal Credits { get; init; }

    /// <summary>Field violations as "field\treason\tdescription" lines; empty unless invalid.</summary>
    public string? Violations { get; init; }
}
