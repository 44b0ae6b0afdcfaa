using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CreditBank.Recognition;

/// <summary>
/// Recognition's own spans (a group of submissions written in one transaction) and its meter <c>CreditBank.Recognition</c>
/// (<c>creditbank.batches.in_progress</c>). Exported when telemetry is (shared/Grpc/Telemetry.cs).
/// </summary>
public sealed class RecognitionTelemetry
{
    public const string Name = "CreditBank.Recognition";

    internal static readonly ActivitySource Source = new(Name);

    private readonly UpDownCounter<long> _batchesInProgress;

    public RecognitionTelemetry(IMeterFactory meters)
    {
        _batchesInProgress = meters.Create(Name).CreateUpDownCounter<long>("creditbank.batches.in_progress", "{batch}",
            "Batch uploads this replica is taking in now (a stream or a file being read and stored).");
    }

    /// <summary>The caller's span context, to be continued where its submission is written; default when nothing traces.</summary>
    internal static ActivityContext CallerContext() => Source.HasListeners() && Activity.Current is { } current ? current.Context : default;

    internal void BatchStarted() => _batchesInProgress.Add(1);

    internal void BatchEnded() => _batchesInProgress.Add(-1);
}
