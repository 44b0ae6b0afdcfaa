using System.ComponentModel.DataAnnotations;

namespace CreditBank.Recognition;

/// <summary>Bound from <c>Recognition</c>; validated at start-up.</summary>
public sealed class RecognitionOptions
{
    public const string Section = "Recognition";

    /// <summary>Training records and MOOCs: contact hours per credit.</summary>
    [Range(8, 40)]
    public int HoursPerCredit { get; set; } = 16;

    /// <summary>
    /// Lines per transaction on the batch path (duplicate lookups, inserts and events per chunk). A chunk of 500 makes an
    /// event of about a quarter of a megabyte; 1,000 and 2,000 credited as fast but held more in every service
    /// (recognition's GC heap peaked at 70–85 MB with 1,000, 53 MB with 500: docs/performance.md, "Memory").
    /// </summary>
    [Range(100, 20_000)]
    public int BatchChunkSize { get; set; } = 500;

    /// <summary>
    /// SubmitOutcome calls one replica works on at once; more wait up to <see cref="SubmitWait"/> for a turn and are
    /// then refused with RESOURCE_EXHAUSTED (retry with the same request_id). 0 turns the limit off.
    /// </summary>
    [Range(0, 10_000)]
    public int MaxConcurrentSubmits { get; set; } = 64;

    /// <summary>
    /// Most SubmitOutcome calls written in one transaction (group commit): a group is what arrived while the previous
    /// one was being written. 1 writes every call in its own transaction.
    /// </summary>
    [Range(1, 1000)]
    public int SubmitGroupSize { get; set; } = 64;

    /// <summary>
    /// Writers of SubmitOutcome groups per replica, each on its own connection. A writer that finds another one writing
    /// gathers until that one's transaction ends (at most 200 ms) or its group is full, so under load they take turns.
    /// </summary>
    [Range(1, 16)]
    public int SubmitWriters { get; set; } = 2;

    /// <summary>How long a SubmitOutcome call waits for a turn when <see cref="MaxConcurrentSubmits"/> are in progress.</summary>
    public TimeSpan SubmitWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often each replica reloads the catalogue, so that changes made on another one arrive.</summary>
    public TimeSpan CatalogueRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);
}
