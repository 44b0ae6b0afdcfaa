using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;

namespace CreditBank.Grpc;

/// <summary>
/// Messages as JSON for the few REST routes that are not transcoded (the batch upload), written as the transcoded
/// routes write them: proto3 JSON names, enums by name, compact, and 64-bit integers as numbers (the transcoder's
/// default) rather than the strings of proto3's canonical mapping, so one client reads every route the same way.
/// </summary>
public static class RestJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false)
        .WithTypeRegistry(TypeRegistry.FromMessages(ErrorInfo.Descriptor, BadRequest.Descriptor, RetryInfo.Descriptor)));

    public static string Format(IMessage message)
    {
        var json = JsonNode.Parse(Formatter.Format(message))!;
        Int64sAsNumbers(json, message.Descriptor);
        return json.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static void Int64sAsNumbers(JsonNode node, MessageDescriptor descriptor)
    {
        if (node is not JsonObject json)
        {
            return;
        }

        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            if (json[field.JsonName] is not { } value)
            {
                continue;
            }

            if (field.FieldType is FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 && !field.IsRepeated
                && value is JsonValue text && text.TryGetValue<string>(out var number) && long.TryParse(number, out var parsed))
            {
                json[field.JsonName] = parsed;
            }
            else if (field.FieldType == FieldType.Message && value is JsonArray items)
            {
                foreach (var item in items)
                {
                    Int64sAsNumbers(item!, field.MessageType);
                }
            }
            else if (field.FieldType == FieldType.Message)
            {
                Int64sAsNumbers(value, field.MessageType);
            }
        }
    }
}
