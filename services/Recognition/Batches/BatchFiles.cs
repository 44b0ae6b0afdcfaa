using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CreditBank.Grpc;
using CreditBank.Grpc.Validation;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Net.Http.Headers;
using nietras.SeparatedValues;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Batches;

/// <summary>
/// A batch file's bytes as text: UTF-8 (with or without a BOM) unless the content type declares GB18030, GBK or GB2312
/// (as many 教务系统 export), which are read as GB18030. Bytes that are not valid in the encoding stop the upload with
/// <c>INVALID_ENCODING</c>: a GBK file sent without its charset is refused, never stored as 乱码.
/// </summary>
internal static class BatchFileEncoding
{
    static BatchFileEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static (bool Json, Encoding Encoding) Of(string? contentType)
    {
        MediaTypeHeaderValue.TryParse(contentType, out var media);
        var type = media?.MediaType.Value?.ToLowerInvariant() ?? "text/csv";
        var json = type is "application/json" || type.EndsWith("+json", StringComparison.Ordinal);
        if (!json && type is not ("text/csv" or "text/plain" or "application/csv" or "application/octet-stream"))
        {
            throw UnsupportedMediaType($"Content type '{Text.Echo(type)}' is not a batch file: send text/csv (a header row, then one outcome per row) or application/json (an array of BatchLine objects).");
        }

        var charset = media?.Charset.Value?.Trim('"').ToLowerInvariant();
        var encoding = charset switch
        {
            null or "" or "utf-8" or "utf8" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
            "gb18030" or "gbk" or "gb2312" or "cp936" or "x-gbk" => Encoding.GetEncoding(54936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
            _ => throw UnsupportedMediaType($"charset '{Text.Echo(charset)}' is not read here: send UTF-8, or declare charset=gb18030 (also gbk, gb2312) for a file exported in GBK."),
        };
        return (json, encoding);
    }

    /// <summary>What a decoding failure answers: the file is not in the encoding it claims (or UTF-8, when it claims none).</summary>
    public static RpcException NotInEncoding(Encoding encoding, long line) => Problems.InvalidArgument("INVALID_ENCODING",
        $"The file is not valid {(encoding.CodePage == 54936 ? "GB18030" : "UTF-8")} (at line {line}). A file exported as GBK/GB18030 must say so: content-type: text/csv; charset=gb18030.",
        [new() { Field = "body", Reason = "INVALID_ENCODING", Description = $"Line {line} has bytes that are not {(encoding.CodePage == 54936 ? "GB18030" : "UTF-8")}; lines before it were read." }]);

    private static RpcException UnsupportedMediaType(string message) =>
        Problems.InvalidArgument("UNSUPPORTED_MEDIA_TYPE", message, [new() { Field = "content-type", Reason = "UNSUPPORTED_MEDIA_TYPE", Description = message }]);
}

/// <summary>
/// A CSV batch file (RFC 4180 by Sep: quoted fields may hold commas, doubled quotes and line breaks). The first row names
/// the columns; each other row is one outcome. A row longer than <see cref="MaxRowCharacters"/> stops the upload
/// (<c>LINE_TOO_LONG</c>) before it is held in memory; a row with more cells than the header is an invalid line.
/// </summary>
internal sealed class CsvBatchFile : IDisposable
{
    public const int MaxRowCharacters = 16 * 1024;
    public const int MaxColumns = 40;

    public static readonly IReadOnlySet<string> KnownColumns = new HashSet<string>(StringComparer.Ordinal)
    {
        "kind", "document_type", "document_number", "name", "course_code", "title", "credits", "hours", "term", "grade_scheme", "grade",
        "certificate_name", "level", "certificate_number", "issue_date", "award_rank", "informal_type", "provider", "attachment_sha256",
    };

    private readonly SepReader _reader;
    private readonly RowGuard _guard;
    private readonly Dictionary<string, int> _columns;
    private readonly Encoding _encoding;

    private CsvBatchFile(SepReader reader, RowGuard guard, Dictionary<string, int> columns, Encoding encoding)
    {
        (_reader, _guard, _columns, _encoding) = (reader, guard, columns, encoding);
    }

    /// <summary>Reads and checks the header row: known column names, each once, <c>document_number</c> and <c>name</c> among them.</summary>
    public static async Task<CsvBatchFile> OpenAsync(Stream body, Encoding encoding, CancellationToken ct)
    {
        var guard = new RowGuard(new StreamReader(body, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: true));
        SepReader? reader = null;
        try
        {
            reader = await Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true, Trim = SepTrim.All })
                .FromAsync(guard, ct);
            if (!await reader.MoveNextAsync(ct))
            {
                throw HeaderProblem("MISSING_HEADER", "The file is empty: its first row names the columns (kind, document_number, name, …), then one outcome per row.");
            }

            var names = Header(reader.Current);
            var violations = new FieldViolations();
            var columns = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                var name = names[i].Trim().TrimStart('\uFEFF').ToLowerInvariant();
                if (!KnownColumns.Contains(name))
                {
                    violations.Add($"columns[{i}]", $"'{Text.Echo(name)}' is not a column of a batch file; the columns are {string.Join(", ", KnownColumns)}. Is the header row missing?",
                        "UNKNOWN_COLUMN");
                }
                else if (!columns.TryAdd(name, i))
                {
                    violations.Add($"columns[{i}]", $"Column '{name}' appears twice (columns {columns[name] + 1} and {i + 1}); name each column once.", "DUPLICATE_COLUMN");
                }
            }

            foreach (var required in new[] { "document_number", "name" })
            {
                if (violations.All.Count == 0 && !columns.ContainsKey(required))
                {
                    violations.Add("columns", $"The header has no '{required}' column; every row needs the learner's document_number and name.", "MISSING_HEADER");
                }
            }

            violations.ThrowIfAny("The batch file's header row (line 1) was not accepted");
            return new CsvBatchFile(reader, guard, columns, encoding);
        }
        catch
        {
            reader?.Dispose();
            guard.Dispose();
            throw;
        }
    }

    /// <summary>The next row as a BatchLine (numbered as the file's line) with what reading it found wrong; null at the end.</summary>
    public async Task<(V1.BatchLine Line, IReadOnlyList<V1.LineViolation> Problems)?> NextAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                if (!await _reader.MoveNextAsync(ct))
                {
                    return null;
                }
            }
            catch (DecoderFallbackException)
            {
                throw BatchFileEncoding.NotInEncoding(_encoding, _guard.Line);
            }

            var row = Read(_reader.Current, _columns);
            if (row is { } read)
            {
                return read;
            }
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _guard.Dispose();
    }

    private static string[] Header(SepReader.Row row)
    {
        if (row.ColCount > MaxColumns)
        {
            throw HeaderProblem("TOO_MANY_COLUMNS", $"The header row has {row.ColCount} columns; a batch file has at most {MaxColumns}.");
        }

        var names = new string[row.ColCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = row[i].ToString();
        }

        return names;
    }

    /// <summary>A row as a line, or null for an empty row (a blank line between outcomes).</summary>
    private static (V1.BatchLine, IReadOnlyList<V1.LineViolation>)? Read(SepReader.Row row, Dictionary<string, int> columns)
    {
        if (row.ColCount == 1 && row[0].Span.IsWhiteSpace())
        {
            return null;
        }

        var number = row.LineNumberFrom;
        if (row.ColCount > columns.Count)
        {
            var line = new V1.BatchLine { LineNumber = number };
            return (line, [new V1.LineViolation
            {
                Field = "line", Reason = "TOO_MANY_COLUMNS",
                Description = $"Line {number} has {row.ColCount} cells but the header names {columns.Count} columns; quote a cell that holds a comma (\"…,…\").",
            }]);
        }

        var cells = new string[row.ColCount];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = row[i].ToString();
        }

        var (parsed, problems) = CsvLine.Parse(cells, columns);
        parsed.LineNumber = number;
        return (parsed, problems);
    }

    private static RpcException HeaderProblem(string reason, string description) =>
        Problems.InvalidArgument(reason, $"The batch file's header row (line 1) was not accepted: {description}",
            [new() { Field = "columns", Reason = reason, Description = description }]);

    /// <summary>
    /// Passes the text through while counting, so that no row grows past <see cref="MaxRowCharacters"/> in memory: a
    /// row ends at a line break outside quotes (RFC 4180: a quote inside a quoted field is doubled, so quote parity is enough).
    /// </summary>
    private sealed class RowGuard(TextReader inner) : TextReader
    {
        private bool _quoted;
        private int _rowCharacters;

        /// <summary>The physical line being read (1-based).</summary>
        public long Line { get; private set; } = 1;

        public override int Read(Span<char> buffer) => Count(buffer[..inner.Read(buffer)]);

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override async ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Count(buffer.Span[..read]);
        }

        public override Task<int> ReadAsync(char[] buffer, int index, int count) => ReadAsync(buffer.AsMemory(index, count)).AsTask();

        public override int Peek() => inner.Peek();

        public override int Read()
        {
            Span<char> one = stackalloc char[1];
            return Read(one) == 0 ? -1 : one[0];
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(ReadOnlySpan<char> read)
        {
            foreach (var c in read)
            {
                if (c == '"')
                {
                    _quoted = !_quoted;
                }
                else if (c == '\n')
                {
                    Line++;
                    if (!_quoted)
                    {
                        _rowCharacters = 0;
                        continue;
                    }
                }

                if (++_rowCharacters > MaxRowCharacters)
                {
                    throw Problems.InvalidArgument("LINE_TOO_LONG",
                        $"The row at line {Line} is longer than {MaxRowCharacters:N0} characters (an unclosed quote makes the rest of the file one row); lines before it were read.",
                        [new() { Field = "body", Reason = "LINE_TOO_LONG", Description = $"Line {Line}: a row is at most {MaxRowCharacters:N0} characters; close every quoted field." }]);
                }
            }

            return read.Length;
        }
    }
}

/// <summary>
/// A JSON batch file: an array of BatchLine objects (proto3 JSON, as in the gRPC contract), line numbers counting
/// from 1. A line that is not a BatchLine is an invalid line (<c>INVALID_LINE</c>); a body that is not a JSON array,
/// or nests deeper than <see cref="MaxDepth"/>, stops the upload (<c>MALFORMED_JSON</c>).
/// </summary>
internal static class JsonBatchFile
{
    public const int MaxDepth = 16;

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithRecursionLimit(MaxDepth));

    public static async IAsyncEnumerable<(V1.BatchLine Line, IReadOnlyList<V1.LineViolation> Problems)> ReadAsync(Stream body, Encoding encoding,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var stream = encoding.CodePage == Encoding.UTF8.CodePage ? body : Encoding.CreateTranscodingStream(body, encoding, Encoding.UTF8, leaveOpen: true);
        var options = new JsonSerializerOptions { MaxDepth = MaxDepth };
        await using var enumerator = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, options, ct).GetAsyncEnumerator(ct);
        long number = 0;
        while (true)
        {
            try
            {
                if (!await enumerator.MoveNextAsync())
                {
                    break;
                }
            }
            catch (JsonException e)
            {
                throw Malformed(e, number);
            }
            catch (DecoderFallbackException)
            {
                throw BatchFileEncoding.NotInEncoding(encoding, number + 1);
            }

            number++;
            V1.BatchLine line;
            IReadOnlyList<V1.LineViolation> problems = [];
            try
            {
                line = Parser.Parse<V1.BatchLine>(enumerator.Current.GetRawText());
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException or InvalidOperationException)
            {
                line = new V1.BatchLine();
                problems = [new V1.LineViolation { Field = "line", Reason = "INVALID_LINE", Description = $"Not a BatchLine: {Text.Echo(e.Message.Length > 160 ? e.Message[..160] : e.Message)}" }];
            }

            line.LineNumber = number;
            yield return (line, problems);
        }
    }

    private static RpcException Malformed(JsonException e, long lines)
    {
        var where = e.LineNumber is { } line ? $" (JSON line {line + 1}, byte {e.BytePositionInLine + 1})" : string.Empty;
        var description = lines == 0 && e.Path is null or "$"
            ? $"The body must be a JSON array of BatchLine objects ([{{…}}, {{…}}]), nested at most {MaxDepth} deep{where}."
            : $"The JSON breaks after line {lines}{where}; lines before it were read.";
        return Problems.InvalidArgument("MALFORMED_JSON", $"The batch file is not valid JSON: {description}",
            [new() { Field = "body", Reason = "MALFORMED_JSON", Description = description }]);
    }
}
