using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net.Mime;
using System.Runtime.Serialization;
using System.Text;
using System.Text.Json;
using CreditBank.Contracts.Events;
using MassTransit;
using MassTransit.Serialization;

namespace CreditBank.Messaging;

/// <summary>
/// Events on the wire as the outbox stored them: the event's own JSON, with MassTransit's message id and message type
/// in the transport headers instead of in an envelope around it.
/// </summary>
/// <remarks>
/// The relay sends a row's body as it is, and a consumer reads it straight into the event's type. With MassTransit's
/// envelope a batch chunk's ~0.5 MB event was read back into objects and written again by the relay, then parsed into a
/// JSON document and read from that into objects by every consumer (docs/performance.md, "Batch pipeline"). Events in
/// MassTransit's own envelope (tests publish them, and messages queued before this format) are still read.
/// </remarks>
public static class EventJson
{
    public static readonly ContentType ContentType = new("application/vnd.creditbank.event+json");

    /// <summary>How events are written to the outbox and read by consumers: web defaults (camelCase names).</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Where every event type is: <c>CreditBank.Contracts</c>.</summary>
    public static readonly System.Reflection.Assembly Contracts = typeof(IIntegrationEvent).Assembly;

    private static readonly ConcurrentDictionary<string, Type?> Types = new();

    /// <summary>
    /// The contract type an event's MessageType header names first (<c>urn:message:CreditBank.Contracts.Events:OutcomesRecognised</c>);
    /// null when it names none in <c>CreditBank.Contracts</c>.
    /// </summary>
    internal static Type? ContractType(string[] messageTypes) =>
        messageTypes.Length == 0 ? null : Types.GetOrAdd(messageTypes[0], static urn =>
        {
            const string prefix = "urn:message:";
            var name = urn.StartsWith(prefix, StringComparison.Ordinal) ? urn[prefix.Length..] : urn;
            var colon = name.LastIndexOf(':');
            return colon < 0 ? null : Contracts.GetType($"{name[..colon]}.{name[(colon + 1)..]}");
        });
}

/// <summary>Writes an event as <see cref="EventJson"/>: the JSON the outbox stored, or the message serialised the same way.</summary>
internal sealed class EventJsonSerializer(byte[]? stored = null) : RawMessageSerializer, IMessageSerializer
{
    public ContentType ContentType => EventJson.ContentType;

    public MessageBody GetMessageBody<T>(SendContext<T> context)
        where T : class
    {
        SetRawMessageHeaders(context);
        return new EventJsonBody(stored ?? JsonSerializer.SerializeToUtf8Bytes(context.Message, context.Message.GetType(), EventJson.Options));
    }
}

/// <summary>Reads <see cref="EventJson"/> straight into the contract type its headers name.</summary>
internal sealed class EventJsonDeserializer : IMessageDeserializer
{
    public ContentType ContentType => EventJson.ContentType;

    public void Probe(ProbeContext context) => context.CreateScope("json").Add("contentType", ContentType.MediaType);

    public ConsumeContext Deserialize(ReceiveContext receiveContext) =>
        new BodyConsumeContext(receiveContext, Deserialize(receiveContext.Body, receiveContext.TransportHeaders, receiveContext.InputAddress));

    public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null)
    {
        var messageTypes = headers.GetMessageTypes();
        var type = EventJson.ContractType(messageTypes)
            ?? throw new SerializationException(
                $"The event's type ({string.Join(";", messageTypes)}) is not in CreditBank.Contracts: deploy its consumers with the contract that defines it.");
        object message;
        try
        {
            message = JsonSerializer.Deserialize(body.GetBytes(), type, EventJson.Options)
                ?? throw new SerializationException($"The body of a {type.Name} was JSON null.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new SerializationException($"The body of a {type.Name} is not its JSON: {e.Message}", e);
        }

        return new EventJsonContext(new RawMessageContext(headers, destinationAddress, RawSerializerOptions.Default), messageTypes, message);
    }

    public MessageBody GetMessageBody(string text) => new EventJsonBody(Encoding.UTF8.GetBytes(text));
}

/// <summary>An event already read into its type; MassTransit asks it for the message as any type the event is.</summary>
internal sealed class EventJsonContext(MessageContext messageContext, string[] messageTypes, object message)
    : SystemTextJsonSerializerContext(SystemTextJsonMessageSerializer.Instance, SystemTextJsonMessageSerializer.Options, EventJson.ContentType,
        messageContext, messageTypes, message: message)
{
    public override bool TryGetMessage<T>(out T? message)
        where T : class
    {
        message = Message as T;
        return message is not null;
    }

    public override bool TryGetMessage(Type messageType, [NotNullWhen(true)] out object? message)
    {
        message = messageType.IsInstanceOfType(Message) ? Message : null;
        return message is not null;
    }

    // A message sent on from here (redelivered, forwarded, scheduled) goes out as EventJson too: the base class would
    // write MassTransit's envelope under this context's content type, which nobody could read back.

    public override IMessageSerializer GetMessageSerializer() => new EventJsonSerializer();

    public override IMessageSerializer GetMessageSerializer<T>(MessageEnvelope envelope, T message) => new EventJsonSerializer();

    public override IMessageSerializer GetMessageSerializer(object message, string[] messageTypes) => new EventJsonSerializer();
}

internal sealed class EventJsonSerializerFactory : ISerializerFactory
{
    public ContentType ContentType => EventJson.ContentType;

    public IMessageSerializer CreateSerializer() => new EventJsonSerializer();

    public IMessageDeserializer CreateDeserializer() => new EventJsonDeserializer();
}

internal sealed class EventJsonBody(byte[] bytes) : MessageBody
{
    public long? Length => bytes.Length;

    public Stream GetStream() => new MemoryStream(bytes, writable: false);

    public byte[] GetBytes() => bytes;

    public string GetString() => Encoding.UTF8.GetString(bytes);
}
