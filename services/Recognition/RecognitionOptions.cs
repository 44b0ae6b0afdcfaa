using System.ComponentModel.DataAnnotations;

namespace CreditBank.Recognition;

/// <summary>Bound from <c>Recognition</c>; validated at start-up.</summary>
public sealed class RecognitionOptions
{
    public const string Section = "Recognition";

    /// <summary>Training records and MOOCs: contact hours per credit.</summary>
    [Range(8, 40)]
    public int HoursPerCredit { get; set; } = 16;

    /// <summary>Lines per transaction on the batch path (duplicate lookups, inserts and events per chunk).</summary>
    [Range(100, 20_000)]
    public int BatchChunkSize { get; set; } = 2000;

    /// <summary>How often each replica reloads the catalogue, so that changes made on another one arrive.</summary>
    public TimeSpan CatalogueRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);
}
