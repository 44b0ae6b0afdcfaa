using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Unicode;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CreditBank.Grpc.Validation;

/// <summary>
/// What a gRPC message must be before a service sees it: no larger than its method takes, and decodable. Protobuf's
/// parser throws on a string that is not UTF-8 (a lone surrogate, a GBK byte) before any handler or interceptor runs,
/// which gRPC answered as UNKNOWN; here that is INVALID_ARGUMENT <c>INVALID_ENCODING</c> naming the field, and a message
/// over its method's limit is RESOURCE_EXHAUSTED <c>REQUEST_TOO_LARGE</c> — both in the bank's error model.
/// </summary>
/// <remarks>
/// The seam is the request marshaller: each method is bound as Grpc.AspNetCore binds it (the generated
/// <c>BindService</c>), with a marshaller that checks the size and wraps the generated parser.
/// </remarks>
public static class ReceivedMessages
{
    /// <summary>What one message may weigh unless its method says otherwise: a submission is a few hundred bytes.</summary>
    public const int DefaultMaxBytes = 64 * 1024;

    /// <summary>
    /// What gRPC itself buffers at most before any check of ours: larger messages are refused by gRPC with
    /// RESOURCE_EXHAUSTED before they are read into memory.
    /// </summary>
    public const int MaxReceiveBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Methods (by name) that take more than <see cref="DefaultMaxBytes"/>: a rule file in one message; a transcript to
    /// verify (each of its credentials is embedded with its own JWT: a hundred outcomes weigh a few hundred KB).
    /// </summary>
    private static readonly Dictionary<string, int> Larger = new(StringComparer.Ordinal)
    {
        ["ImportRules"] = MaxReceiveBytes,
        ["VerifyCredential"] = MaxReceiveBytes,
        // A learner's application carries its evidence files (up to five of 1 MB).
        ["ApplyForRecognition"] = MaxReceiveBytes,
    };

    public static int LimitOf(string methodName) => Larger.GetValueOrDefault(methodName, DefaultMaxBytes);

    /// <summary>Binds every generated service through <see cref="CheckedServiceMethodProvider{TService}"/> instead of gRPC's own binder.</summary>
    public static IServiceCollection AddReceivedMessageChecks(this IServiceCollection services)
    {
        services.Configure<global::Grpc.AspNetCore.Server.GrpcServiceOptions>(o => o.MaxReceiveMessageSize = MaxReceiveBytes);
        var binder = services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>)
            && d.ImplementationType?.Name.StartsWith("BinderServiceMethodProvider", StringComparison.Ordinal) == true).ToList();
        foreach (var descriptor in binder)
        {
            services.Remove(descriptor);
        }

        services.TryAddEnumerable(Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(CheckedServiceMethodProvider<>)));
        return services;
    }

    /// <summary>The generated parser, after a size check, with a decoding failure answered as the caller's mistake.</summary>
    internal static Marshaller<T> Checked<T>(Marshaller<T> marshaller, string methodName)
        where T : class
    {
        var limit = LimitOf(methodName);
        var descriptor = typeof(IMessage).IsAssignableFrom(typeof(T))
            ? ((IMessage)Activator.CreateInstance(typeof(T))!).Descriptor
            : null;
        return Marshallers.Create(marshaller.ContextualSerializer, context =>
        {
            if (context.PayloadLength > limit)
            {
                throw Problems.TooLarge($"The {methodName} message", context.PayloadLength, limit);
            }

            try
            {
                return marshaller.ContextualDeserializer(context);
            }
            catch (Exception e) when (e is not RpcException && descriptor is not null)
            {
                var field = NotUtf8(context.PayloadAsReadOnlySequence(), descriptor, string.Empty);
                var description = field is null
                    ? "The message is not a well-formed protobuf message of this method's request type."
                    : $"{field} is not valid UTF-8 (an unpaired surrogate, or text in another encoding such as GBK); send Unicode text as UTF-8.";
                throw Problems.InvalidArgument(field is null ? "MALFORMED_MESSAGE" : "INVALID_ENCODING",
                    $"The {methodName} request could not be read: {description}",
                    [new() { Field = field ?? "message", Reason = field is null ? "MALFORMED_MESSAGE" : "INVALID_ENCODING", Description = description }]);
            }
        });
    }

    /// <summary>The path of the first string field whose bytes are not UTF-8, walking the wire format with the descriptor.</summary>
    internal static string? NotUtf8(ReadOnlySequence<byte> payload, MessageDescriptor descriptor, string prefix) =>
        NotUtf8(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray(), descriptor, prefix, depth: 0);

    private static string? NotUtf8(ReadOnlySpan<byte> bytes, MessageDescriptor descriptor, string prefix, int depth)
    {
        while (!bytes.IsEmpty && depth < 32)
        {
            if (!TryVarint(ref bytes, out var tag))
            {
                return null;
            }

            var field = descriptor.FindFieldByNumber((int)(tag >> 3));
            switch ((int)(tag & 7))
            {
                case 0:
                    if (!TryVarint(ref bytes, out _))
                    {
                        return null;
                    }

                    break;
                case 1 when bytes.Length >= 8:
                    bytes = bytes[8..];
                    break;
                case 5 when bytes.Length >= 4:
                    bytes = bytes[4..];
                    break;
                case 2:
                    if (!TryVarint(ref bytes, out var length) || length > (ulong)bytes.Length)
                    {
                        return null;
                    }

                    var value = bytes[..(int)length];
                    bytes = bytes[(int)length..];
                    var path = prefix + (field?.Name ?? $"#{tag >> 3}");
                    if (field?.FieldType == FieldType.String && !Utf8.IsValid(value))
                    {
                        return path;
                    }

                    if (field?.FieldType == FieldType.Message && NotUtf8(value, field.MessageType, path + ".", depth + 1) is { } inner)
                    {
                        return inner;
                    }

                    break;
                default:
                    return null;
            }
        }

        return null;
    }

    private static bool TryVarint(ref ReadOnlySpan<byte> bytes, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && !bytes.IsEmpty; shift += 7)
        {
            var b = bytes[0];
            bytes = bytes[1..];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// Binds a generated gRPC service as Grpc.AspNetCore's own binder does (its <c>BindService</c>, the handler methods the
/// service overrides, their attributes as endpoint metadata), with <see cref="ReceivedMessages.Checked{T}"/> marshallers.
/// </summary>
internal sealed class CheckedServiceMethodProvider<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } bind)
            {
                var method = bind.BindType.GetMethod(bind.BindMethodName, BindingFlags.Public | BindingFlags.Static,
                    [typeof(ServiceBinderBase), type]);
                method?.Invoke(null, [new Binder(context), null]);
                return;
            }
        }
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            if (Handler<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(TRequest), typeof(ServerCallContext)]) is var (invoker, metadata))
            {
                context.AddUnaryMethod(Checked(method), metadata, invoker);
            }
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            if (Handler<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)]) is var (invoker, metadata))
            {
                context.AddClientStreamingMethod(Checked(method), metadata, invoker);
            }
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            if (Handler<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                    [typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]) is var (invoker, metadata))
            {
                context.AddServerStreamingMethod(Checked(method), metadata, invoker);
            }
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            if (Handler<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                    [typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]) is var (invoker, metadata))
            {
                context.AddDuplexStreamingMethod(Checked(method), metadata, invoker);
            }
        }

        private static Method<TRequest, TResponse> Checked<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class
            where TResponse : class =>
            new(method.Type, method.ServiceName, method.Name, ReceivedMessages.Checked(method.RequestMarshaller, method.Name), method.ResponseMarshaller);

        /// <summary>The service's method (its override, or the generated one that answers UNIMPLEMENTED).</summary>
        private static (TDelegate Invoker, List<object> Metadata)? Handler<TDelegate>(string name, Type[] parameters)
            where TDelegate : Delegate
        {
            var handler = typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters);
            if (handler is null)
            {
                return null;
            }

            var metadata = new List<object>();
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
            metadata.AddRange(handler.GetCustomAttributes(inherit: true));
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
        }
    }
}
