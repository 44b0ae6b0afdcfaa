using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace CreditBank.Grpc.Validation;

/// <summary>
/// Checks a REST request against its method's contract before JSON transcoding reads it, and answers what is wrong in
/// the bank's error model: a body that is not JSON, too deep or too large, a property the request does not have, a value
/// of the wrong type or an enum name the contract does not define, a query parameter that does not convert.
/// </summary>
/// <remarks>
/// JSON transcoding reads the request before any interceptor or handler runs and answers its own failures as a bare
/// <c>{"code":3,"message":…,"details":[]}</c> (or UNKNOWN, for an unknown charset): it offers no hook for them; what it
/// renders from an error is the google.rpc.Status our <see cref="Problems"/> put in the trailers. So the request is
/// walked once here with the method's descriptor (<see cref="GrpcJsonTranscodingMetadata"/> on the endpoint) and only a
/// request that transcoding will read is passed on. Empty query parameters (<c>?kind=</c>) are left out: "not given".
/// </remarks>
public sealed class TranscodedRequests(RequestDelegate next)
{
    /// <summary>How deep a REST body may nest: our requests nest three levels.</summary>
    public const int MaxDepth = 32;

    public async Task InvokeAsync(HttpContext http)
    {
        var metadata = http.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>();
        if (metadata is null)
        {
            await next(http);
            return;
        }

        try
        {
            var input = metadata.MethodDescriptor.InputType;
            var violations = new FieldViolations();
            var routeFields = http.Request.RouteValues.Keys.ToHashSet(StringComparer.Ordinal);
            if (metadata.HttpRule.Body.Length == 0)
            {
                Query(http.Request, input, routeFields, violations);
            }
            else
            {
                await BodyAsync(http, input, metadata.MethodDescriptor.Name, violations);
            }

            violations.ThrowIfAny("The request was not read");
        }
        catch (RpcException e)
        {
            http.Response.StatusCode = StatusOf(e);
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(RestJson.Format(Problems.StatusOf(e)), http.RequestAborted);
            return;
        }

        await next(http);
    }

    private static int StatusOf(RpcException e) => e.ErrorReason() switch
    {
        "REQUEST_TOO_LARGE" => StatusCodes.Status413PayloadTooLarge,
        "UNSUPPORTED_MEDIA_TYPE" => StatusCodes.Status415UnsupportedMediaType,
        _ => StatusCodes.Status400BadRequest,
    };

    private static void Query(HttpRequest request, MessageDescriptor input, HashSet<string> routeFields, FieldViolations violations)
    {
        var kept = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var (key, values) in request.Query)
        {
            if (values.All(string.IsNullOrEmpty))
            {
                continue;
            }

            kept[key] = values;
            var field = Resolve(input, key, out var path);
            if (field is null || routeFields.Contains(key))
            {
                violations.Add(Text.Echo(key), $"'{Text.Echo(key)}' is not a query parameter of this route.", "UNKNOWN_FIELD");
                continue;
            }

            if (values.Count > 1 && !field.IsRepeated)
            {
                violations.Add(path, $"{path} is given {values.Count} times; give it once.", "INVALID_FIELD_TYPE");
                continue;
            }

            foreach (var value in values)
            {
                if (QueryProblem(field, value ?? string.Empty) is { } problem)
                {
                    violations.Add(path, $"'{Text.Echo(value)}' {problem}.", "INVALID_FIELD_TYPE");
                }
            }
        }

        if (kept.Count != request.Query.Count)
        {
            request.Query = new QueryCollection(kept);
        }
    }

    /// <summary>A field by a dotted path of proto or JSON names (<c>page_size</c>, <c>pageSize</c>); null when there is none.</summary>
    private static FieldDescriptor? Resolve(MessageDescriptor message, string key, out string path)
    {
        path = string.Empty;
        FieldDescriptor? field = null;
        foreach (var part in key.Split('.'))
        {
            if (field is not null && field.FieldType != FieldType.Message)
            {
                return null;
            }

            var owner = field?.MessageType ?? message;
            field = owner.FindFieldByName(part) ?? owner.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == part);
            if (field is null)
            {
                return null;
            }

            path = path.Length == 0 ? field.Name : $"{path}.{field.Name}";
        }

        return field?.FieldType == FieldType.Message ? null : field;
    }

    private static string? QueryProblem(FieldDescriptor field, string value)
    {
        var styles = NumberStyles.Integer;
        var invariant = CultureInfo.InvariantCulture;
        return field.FieldType switch
        {
            FieldType.String => null,
            FieldType.Bool => bool.TryParse(value.Trim(), out _) ? null : "is not true or false",
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => int.TryParse(value, styles, invariant, out _) ? null : "is not a whole number (32-bit)",
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => long.TryParse(value, styles, invariant, out _) ? null : "is not a whole number",
            FieldType.UInt32 or FieldType.Fixed32 => uint.TryParse(value, styles, invariant, out _) ? null : "is not a whole number from 0",
            FieldType.UInt64 or FieldType.Fixed64 => ulong.TryParse(value, styles, invariant, out _) ? null : "is not a whole number from 0",
            FieldType.Double or FieldType.Float => double.TryParse(value, NumberStyles.Float, invariant, out _) ? null : "is not a number",
            FieldType.Enum => (int.TryParse(value, styles, invariant, out var number) ? field.EnumType.FindValueByNumber(number) : field.EnumType.FindValueByName(value)) is null
                ? $"is not one of {Names(field.EnumType)}"
                : null,
            _ => "cannot be given in the query string",
        };
    }

    private static async Task BodyAsync(HttpContext http, MessageDescriptor input, string method, FieldViolations violations)
    {
        var request = http.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media)
            || !(media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            throw Refused("UNSUPPORTED_MEDIA_TYPE", "content-type", $"This route reads JSON: send content-type: application/json, not '{Text.Echo(request.ContentType)}'.");
        }

        if (media.Charset.HasValue && !(media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || media.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)))
        {
            throw Refused("UNSUPPORTED_MEDIA_TYPE", "content-type", $"JSON is read as UTF-8 (RFC 8259); charset '{Text.Echo(media.Charset.Value)}' is not.");
        }

        var limit = ReceivedMessages.LimitOf(method);
        if (request.ContentLength > limit)
        {
            throw Problems.TooLarge($"The {method} body", request.ContentLength.Value, limit);
        }

        var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
        {
            if (body.Length + read > limit)
            {
                throw Problems.TooLarge($"The {method} body", body.Length + read, limit);
            }

            body.Write(buffer, 0, read);
        }

        body.Position = 0;
        request.Body = body;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length), new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw Refused("MALFORMED_JSON", "body",
                $"The body is not JSON (UTF-8, nested at most {MaxDepth} deep): {(e.LineNumber is { } line ? $"line {line + 1}, byte {e.BytePositionInLine + 1}" : "at its start")}.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Refused("MALFORMED_JSON", "body", "The body is a JSON object with the request's fields ({\"field\": value, …}).");
            }

            Message(document.RootElement, input, string.Empty, violations);
        }
    }

    private static void Message(JsonElement json, MessageDescriptor descriptor, string prefix, FieldViolations violations)
    {
        var oneofs = new Dictionary<OneofDescriptor, string>();
        foreach (var property in json.EnumerateObject())
        {
            var field = descriptor.FindFieldByName(property.Name) ?? descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == property.Name);
            if (field is null)
            {
                violations.Add(prefix + Text.Echo(property.Name), $"'{Text.Echo(property.Name)}' is not a field of {descriptor.Name}; see the API reference (/openapi/v1.json).",
                    "UNKNOWN_FIELD");
                continue;
            }

            var path = prefix + field.Name;
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (field.RealContainingOneof is { } oneof)
            {
                if (oneofs.TryGetValue(oneof, out var first))
                {
                    violations.Add(path, $"{first} and {field.Name} are both set; a request has one {oneof.Name} at most.", "ONEOF_CONFLICT");
                    continue;
                }

                oneofs[oneof] = field.Name;
            }

            if (field.IsRepeated)
            {
                if (property.Value.ValueKind != JsonValueKind.Array)
                {
                    violations.Add(path, $"{path} is a list: send a JSON array.", "INVALID_FIELD_TYPE");
                    continue;
                }

                var index = 0;
                foreach (var item in property.Value.EnumerateArray())
                {
                    Value(item, field, $"{path}[{index++}]", violations);
                }
            }
            else
            {
                Value(property.Value, field, path, violations);
            }
        }
    }

    /// <summary>Well-known messages whose JSON form is a string.</summary>
    private static readonly HashSet<string> WrittenAsText = ["google.protobuf.Duration", "google.protobuf.Timestamp", "google.protobuf.FieldMask"];

    private static void Value(JsonElement json, FieldDescriptor field, string path, FieldViolations violations)
    {
        if (field.FieldType == FieldType.Message)
        {
            if (json.ValueKind == JsonValueKind.String && WrittenAsText.Contains(field.MessageType.FullName))
            {
                // Proto3 JSON writes these as text ("600s", "2026-01-01T00:00:00Z"); the transcoder parses them.
                return;
            }

            if (json.ValueKind == JsonValueKind.Object)
            {
                Message(json, field.MessageType, path + ".", violations);
            }
            else
            {
                violations.Add(path, $"{path} is an object ({{…}}); got a JSON {json.ValueKind.ToString().ToLowerInvariant()}.", "INVALID_FIELD_TYPE");
            }

            return;
        }

        if (ScalarProblem(json, field) is { } problem)
        {
            violations.Add(path, problem, problem.Contains("not valid Unicode", StringComparison.Ordinal) ? "INVALID_TEXT" : "INVALID_FIELD_TYPE");
        }
    }

    private static string? ScalarProblem(JsonElement json, FieldDescriptor field)
    {
        var kind = json.ValueKind;
        switch (field.FieldType)
        {
            case FieldType.String:
                if (kind != JsonValueKind.String)
                {
                    return $"{field.Name} is text: send a JSON string.";
                }

                try
                {
                    json.GetString();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return $"{field.Name} is not valid Unicode text (an unpaired surrogate escape such as \\ud800).";
                }

            case FieldType.Bool:
                return kind is JsonValueKind.True or JsonValueKind.False ? null : $"{field.Name} is true or false.";
            case FieldType.Enum:
                if (kind == JsonValueKind.String)
                {
                    return field.EnumType.FindValueByName(json.GetString() ?? string.Empty) is null
                        ? $"'{Text.Echo(json.GetString())}' is not a value of {field.EnumType.Name}: {Names(field.EnumType)}."
                        : null;
                }

                return kind == JsonValueKind.Number && json.TryGetInt32(out _) ? null : $"{field.Name} is one of {Names(field.EnumType)}.";
            case FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32:
                return kind == JsonValueKind.Number && json.TryGetInt32(out _) ? null : $"{field.Name} is a whole number (32-bit) as a JSON number.";
            case FieldType.UInt32 or FieldType.Fixed32:
                return kind == JsonValueKind.Number && json.TryGetUInt32(out _) ? null : $"{field.Name} is a whole number from 0 as a JSON number.";
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64:
                return kind == JsonValueKind.Number && json.TryGetInt64(out _)
                    || kind == JsonValueKind.String && long.TryParse(json.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                    ? null
                    : $"{field.Name} is a whole number.";
            case FieldType.UInt64 or FieldType.Fixed64:
                return kind == JsonValueKind.Number && json.TryGetUInt64(out _)
                    || kind == JsonValueKind.String && ulong.TryParse(json.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                    ? null
                    : $"{field.Name} is a whole number from 0.";
            case FieldType.Double:
                return kind == JsonValueKind.Number && json.TryGetDouble(out var number) && double.IsFinite(number)
                    || kind == JsonValueKind.String && json.GetString() is "NaN" or "Infinity" or "-Infinity"
                    ? null
                    : $"{field.Name} is a number (a JSON number).";
            case FieldType.Float:
                return kind == JsonValueKind.Number && json.TryGetSingle(out var single) && float.IsFinite(single)
                    || kind == JsonValueKind.String && json.GetString() is "NaN" or "Infinity" or "-Infinity"
                    ? null
                    : $"{field.Name} is a number (a JSON number).";
            case FieldType.Bytes:
                return kind == JsonValueKind.String && json.TryGetBytesFromBase64(out _) ? null : $"{field.Name} is base64 text.";
            default:
                return $"{field.Name} cannot be given as JSON here.";
        }
    }

    private static string Names(EnumDescriptor type) =>
        string.Join(", ", type.Values.Where(v => v.Number != 0).Select(v => v.Name));

    private static RpcException Refused(string reason, string field, string description) =>
        Problems.InvalidArgument(reason, $"The request was not read: {description}", [new() { Field = field, Reason = reason, Description = description }]);
}

/// <summary>Puts <see cref="TranscodedRequests"/> in front of the transcoded routes.</summary>
public static class TranscodedRequestsExtensions
{
    public static IApplicationBuilder UseTranscodedRequestChecks(this IApplicationBuilder app) => app.UseMiddleware<TranscodedRequests>();
}
