using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using V1 = CreditBank.Contracts.Operations.V1;

namespace CreditBank.Messaging.Parked;

/// <summary>
/// creditbank.operations.v1.ParkedMessagesService: an administrator looks at what this process's consumers parked in
/// their <c>_error</c> queues and moves it back once its cause is put right. Only this process's consumer queues.
/// </summary>
internal sealed partial class ParkedMessagesGrpcService(
    ConsumerQueues consumerQueues, ParkedQueues parked, IOptions<MessagingOptions> options, ILogger<ParkedMessagesGrpcService> logger)
    : V1.ParkedMessagesService.ParkedMessagesServiceBase
{
    private const int DefaultPerQueue = 10;
    private const int MaxPerQueue = 100;
    private const int MaxRestore = 10_000;

    /// <summary>How long a caller should wait before asking again when RabbitMQ cannot be used.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    [Authorize(Policy = Scopes.Admin)]
    public override async Task<V1.ListParkedMessagesResponse> ListParkedMessages(V1.ListParkedMessagesRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        CheckCount(violations, "messages_per_queue", request.MessagesPerQueue, 0, MaxPerQueue, "Messages described per queue (0 means 10)");
        violations.ThrowIfAny("The parked messages were not listed");
        RequireRabbitMq();
        var queues = request.QueueName.Length == 0 ? consumerQueues.Names : [Known(request.QueueName)];
        var perQueue = request.MessagesPerQueue == 0 ? DefaultPerQueue : request.MessagesPerQueue;
        try
        {
            var listed = await parked.ListAsync(queues, perQueue, context.CancellationToken);
            return new V1.ListParkedMessagesResponse { Queues = { listed.Select(ToContract) } };
        }
        catch (BrokerUnavailableException e)
        {
            throw Problems.Unavailable("BROKER_UNAVAILABLE", e.Message, RetryAfter);
        }
    }

    [Authorize(Policy = Scopes.Admin)]
    public override async Task<V1.RestoreParkedMessagesResponse> RestoreParkedMessages(V1.RestoreParkedMessagesRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        if (request.QueueName.Length == 0)
        {
            violations.Add("queue_name", "Name the consumer queue whose parked messages go back (ListParkedMessages names them).", "REQUIRED_FIELD");
        }

        CheckCount(violations, "max_messages", request.MaxMessages, 1, MaxRestore, "The most messages to move back");
        violations.ThrowIfAny("No parked message was restored");
        RequireRabbitMq();
        var queue = Known(request.QueueName);
        try
        {
            var restored = await parked.RestoreAsync(queue, request.MaxMessages, context.CancellationToken);
            LogRestored(restored.Moved, ParkedQueues.ErrorQueueOf(queue), queue, restored.StillParked, Caller.From(context).Actor);
            return new V1.RestoreParkedMessagesResponse { QueueName = queue, RestoredCount = restored.Moved, ParkedCount = restored.StillParked };
        }
        catch (BrokerUnavailableException e)
        {
            LogRestoreFailed(e.Moved, ParkedQueues.ErrorQueueOf(queue), queue, Caller.From(context).Actor);
            throw Problems.Unavailable("BROKER_UNAVAILABLE", e.Message, RetryAfter);
        }
    }

    private static void CheckCount(FieldViolations violations, string field, int value, int min, int max, string label)
    {
        if (value < min || value > max)
        {
            violations.Add(field, $"{label} must be from {min} to {max}; it is {value}.", "INVALID_MESSAGE_COUNT");
        }
    }

    private void RequireRabbitMq()
    {
        if (options.Value.Transport != Transport.RabbitMq)
        {
            throw Problems.FailedPrecondition("PARKED_MESSAGES_NEED_RABBITMQ",
                $"This process runs the {options.Value.Transport} bus (Messaging:Transport): what its consumers could not process is not kept " +
                "in an _error queue one can look into, and is gone when the process stops. Parked messages are listed and restored on RabbitMQ.");
        }
    }

    /// <summary>A consumer queue of this process; any other name answers NOT_FOUND, naming the ones there are.</summary>
    private string Known(string queue)
    {
        if (consumerQueues.Contains(queue))
        {
            return queue;
        }

        var hint = queue.EndsWith("_error", StringComparison.Ordinal) && consumerQueues.Contains(queue[..^"_error".Length])
            ? $"Name the consumer queue ({queue[..^"_error".Length]}), not its _error queue."
            : $"This process consumes from: {string.Join(", ", consumerQueues.Names)}.";
        throw Problems.NotFound("QUEUE_NOT_FOUND", $"{queue} is not a consumer queue of this process. {hint}");
    }

    private static V1.ParkedQueue ToContract(ParkedQueue queue) => new()
    {
        QueueName = queue.Queue,
        ErrorQueueName = queue.ErrorQueue,
        ParkedCount = queue.Count,
        Messages =
        {
            queue.First.Select(m => new V1.ParkedMessage
            {
                MessageId = m.MessageId ?? string.Empty,
                MessageType = m.MessageType ?? string.Empty,
                FaultedAt = m.FaultedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
                ExceptionType = m.ExceptionType ?? string.Empty,
                ExceptionMessage = m.ExceptionMessage ?? string.Empty,
                ConsumerType = m.ConsumerType ?? string.Empty,
                RetryCount = m.RetryCount,
                BodySize = m.BodySize,
                ContentType = m.ContentType ?? string.Empty,
            }),
        },
    };

    [LoggerMessage(EventId = 2031, Level = LogLevel.Information,
        Message = "Restored {Count} parked messages from {ErrorQueue} to {Queue}, {StillParked} still parked, for {Actor}")]
    private partial void LogRestored(int count, string errorQueue, string queue, long stillParked, string actor);

    [LoggerMessage(EventId = 2032, Level = LogLevel.Warning,
        Message = "Restoring parked messages from {ErrorQueue} to {Queue} for {Actor} stopped: RabbitMQ failed after {Count} were moved back")]
    private partial void LogRestoreFailed(int count, string errorQueue, string queue, string actor);
}
