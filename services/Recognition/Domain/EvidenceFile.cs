namespace CreditBank.Recognition.Domain;

/// <summary>An evidence file (证明材料) a learner uploaded with an application for recognition, kept with its outcome.</summary>
public sealed class EvidenceFile
{
    /// <summary>At most this many files with one application.</summary>
    public const int MaxFiles = 5;

    /// <summary>
    /// At most this many bytes a file: five of them, base64 in a REST body, stay under the 8 MB a message may weigh
    /// (<c>ReceivedMessages.MaxReceiveBytes</c>).
    /// </summary>
    public const int MaxBytes = 1024 * 1024;

    public const int FileNameLength = 200;

    public Guid Id { get; init; }

    public required Guid OutcomeId { get; init; }

    /// <summary>The order the learner gave the files in.</summary>
    public required int Position { get; init; }

    public required string FileName { get; init; }

    /// <summary>What the content is (<see cref="EvidenceKinds.Recognise"/>), never what the uploader said it is.</summary>
    public required string ContentType { get; init; }

    public required long SizeBytes { get; init; }

    /// <summary>SHA-256 of the content, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    public required byte[] Content { get; init; }

    public DateTimeOffset UploadedAt { get; init; }
}

/// <summary>The kinds of evidence the bank takes, recognised by their first bytes (magic numbers).</summary>
public static class EvidenceKinds
{
    public const string Pdf = "application/pdf";
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";

    private static ReadOnlySpan<byte> PdfMagic => "%PDF-"u8;
    private static ReadOnlySpan<byte> JpegMagic => [0xFF, 0xD8, 0xFF];
    private static ReadOnlySpan<byte> PngMagic => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// The content type the bytes are — PDF, JPEG or PNG — or null for anything else, whatever the file is called: a
    /// program renamed <c>certificate.pdf</c> is still a program.
    /// </summary>
    public static string? Recognise(ReadOnlySpan<byte> content) =>
        content.StartsWith(PdfMagic) ? Pdf
        : content.StartsWith(PngMagic) ? Png
        : content.StartsWith(JpegMagic) ? Jpeg
        : null;
}
