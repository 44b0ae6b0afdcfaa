using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace CreditBank.Hardening.Tests;

/// <summary>One answer of the bank, over either transport, as the corpus judges it.</summary>
public sealed record Answer(string Transport, string Case, int HttpStatus, StatusCode Code, string? Reason, int Violations,
    IReadOnlyList<string> ViolationReasons, TimeSpan Took, string Detail, ByteString? Body = null, IReadOnlyList<string>? ViolationFields = null)
{
    public override string ToString() =>
        $"{Transport} {Case}: {(Transport == "rest" ? HttpStatus.ToString() : Code.ToString())} {Reason} ({Violations} violations, {Took.TotalMilliseconds:0} ms) {Detail[..Math.Min(Detail.Length, 200)]}";
}

/// <summary>
/// Calls any method of the contract with any message, over gRPC (raw bytes, so that a case can carry bytes no client
/// would send) or over REST (the method's HTTP rule: verb, path, body, query), and reads the answer in the error model.
/// </summary>
public sealed class Exchange(StandaloneBank bank)
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    public async Task<Answer> GrpcAsync(string name, MethodDescriptor method, byte[] request, string token)
    {
        var invoker = bank.Channel.CreateCallInvoker();
        var call = new Method<byte[], byte[]>(method.IsClientStreaming ? MethodType.ClientStreaming : MethodType.Unary,
            method.Service.FullName, method.Name, Bytes, Bytes);
        var headers = new Metadata { { "Authorization", $"Bearer {token}" } };
        var clock = Stopwatch.StartNew();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            byte[] response;
            if (method.IsClientStreaming)
            {
                using var stream = invoker.AsyncClientStreamingCall(call, null, new CallOptions(headers, deadline));
                // A streaming case is a sequence of messages, each length-prefixed in the case's bytes. The server may
                // answer (refuse the header) while the client still writes: its answer is the call's status, not the
                // failed write.
                try
                {
                    foreach (var message in Split(request))
                    {
                        await stream.RequestStream.WriteAsync(message);
                    }

                    await stream.RequestStream.CompleteAsync();
                }
                catch (Exception e) when (e is RpcException or InvalidOperationException)
                {
                }

                response = await stream.ResponseAsync;
            }
            else
            {
                response = await invoker.AsyncUnaryCall(call, null, new CallOptions(headers, deadline), request);
            }

            return new Answer("grpc", name, 200, StatusCode.OK, null, 0, [], clock.Elapsed, string.Empty, ByteString.CopyFrom(response));
        }
        catch (RpcException e)
        {
            var status = e.GetRpcStatus();
            var info = status?.GetDetail<ErrorInfo>();
            var bad = status?.GetDetail<BadRequest>();
            return new Answer("grpc", name, 0, e.StatusCode, info?.Reason, bad?.FieldViolations.Count ?? 0,
                bad?.FieldViolations.Select(v => v.Reason).ToList() ?? [], clock.Elapsed, e.Status.Detail,
                ViolationFields: bad?.FieldViolations.Select(v => v.Field).ToList() ?? []);
        }
    }

    /// <summary>Messages of a client stream, each written as a varint length then its bytes.</summary>
    public static byte[] Stream(IEnumerable<IMessage> messages)
    {
        using var output = new MemoryStream();
        foreach (var message in messages)
        {
            message.WriteDelimitedTo(output);
        }

        return output.ToArray();
    }

    private static IEnumerable<byte[]> Split(byte[] stream)
    {
        var input = new CodedInputStream(stream);
        while (!input.IsAtEnd)
        {
            yield return input.ReadBytes().ToByteArray();
        }
    }

    public Task<Answer> RestAsync(string name, MethodDescriptor method, IMessage request, string token) =>
        RestAsync(name, method, request, token, body: null, contentType: "application/json");

    /// <summary>REST by the method's HTTP rule; <paramref name="body"/> replaces the JSON of <paramref name="request"/> when given.</summary>
    public async Task<Answer> RestAsync(string name, MethodDescriptor method, IMessage request, string token, string? body, string? contentType,
        string? query = null)
    {
        var rule = method.GetOptions().GetExtension(Google.Api.AnnotationsExtensions.Http);
        var (verb, template) = rule.PatternCase switch
        {
            Google.Api.HttpRule.PatternOneofCase.Get => (HttpMethod.Get, rule.Get),
            Google.Api.HttpRule.PatternOneofCase.Post => (HttpMethod.Post, rule.Post),
            _ => throw new NotSupportedException(rule.PatternCase.ToString()),
        };
        var path = template;
        var used = new HashSet<string>();
        foreach (var field in method.InputType.Fields.InDeclarationOrder())
        {
            if (path.Contains($"{{{field.Name}}}", StringComparison.Ordinal))
            {
                path = path.Replace($"{{{field.Name}}}", Uri.EscapeDataString(field.Accessor.GetValue(request)?.ToString() is { Length: > 0 } v ? v : "-"),
                    StringComparison.Ordinal);
                used.Add(field.Name);
            }
        }

        if (query is null && rule.Body.Length == 0)
        {
            var parts = method.InputType.Fields.InDeclarationOrder()
                .Where(f => !used.Contains(f.Name) && f.FieldType != FieldType.Message && !f.IsRepeated && IsSet(f.Accessor.GetValue(request)))
                .Select(f => $"{f.Name}={Uri.EscapeDataString(QueryValue(f, f.Accessor.GetValue(request)))}");
            query = string.Join('&', parts);
        }

        using var message = new HttpRequestMessage(verb, path + (string.IsNullOrEmpty(query) ? string.Empty : "?" + query));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (rule.Body.Length > 0)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body ?? Json.Format(request)));
            if (contentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            message.Content = content;
        }

        return await SendAsync(name, message);
    }

    /// <summary>Any HTTP request, judged the same way (the batch upload, the OIDC endpoints).</summary>
    public async Task<Answer> SendAsync(string name, HttpRequestMessage message)
    {
        var clock = Stopwatch.StartNew();
        using var response = await bank.Http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        var took = clock.Elapsed;
        string? reason = null;
        var violations = new List<string>();
        var fields = new List<string>();
        var code = StatusCode.OK;
        if (!response.IsSuccessStatusCode && text.StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(text);
                if (json.RootElement.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number)
                {
                    code = (StatusCode)c.GetInt32();
                }

                if (json.RootElement.TryGetProperty("details", out var details))
                {
                    foreach (var detail in details.EnumerateArray())
                    {
                        var type = detail.GetProperty("@type").GetString() ?? string.Empty;
                        if (type.EndsWith("google.rpc.ErrorInfo", StringComparison.Ordinal))
                        {
                            reason = detail.GetProperty("reason").GetString();
                        }
                        else if (type.EndsWith("google.rpc.BadRequest", StringComparison.Ordinal) && detail.TryGetProperty("fieldViolations", out var list))
                        {
                            violations.AddRange(list.EnumerateArray().Select(v => v.TryGetProperty("reason", out var r) ? r.GetString() ?? string.Empty : string.Empty));
                            fields.AddRange(list.EnumerateArray().Select(v => v.TryGetProperty("field", out var f) ? f.GetString() ?? string.Empty : string.Empty));
                        }
                    }
                }
            }
            catch (JsonException)
            {
            }
        }
        else if (!response.IsSuccessStatusCode)
        {
            code = StatusCode.Unknown;
        }

        return new Answer("rest", name, (int)response.StatusCode, code, reason, violations.Count, violations, took, text, ViolationFields: fields);
    }

    private static bool IsSet(object? value) => value switch
    {
        null => false,
        string text => text.Length > 0,
        bool flag => flag,
        Enum choice => Convert.ToInt32(choice, System.Globalization.CultureInfo.InvariantCulture) != 0,
        IConvertible number => Convert.ToDouble(number, System.Globalization.CultureInfo.InvariantCulture) != 0,
        _ => true,
    };

    private static string QueryValue(FieldDescriptor field, object? value) => field.FieldType switch
    {
        FieldType.Enum => field.EnumType.FindValueByNumber(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture))?.Name
            ?? Convert.ToString(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)!,
        FieldType.Bool => value is true ? "true" : "false",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
