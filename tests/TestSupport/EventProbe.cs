using System.Collections.Concurrent;
using MassTransit;

namespace CreditBank.TestSupport;

/// <summary>Records every <typeparamref name="T"/> a host's bus delivers, with its MessageId: what another service would see.</summary>
public sealed class EventProbe<T>
    where T : class
{
    public ConcurrentQueue<(Guid? MessageId, T Message)> Received { get; } = new();
}

public sealed class EventProbeConsumer<T>(EventProbe<T> probe) : IConsumer<T>
    where T : class
{
    public Task Consume(ConsumeContext<T> context)
    {
        probe.Received.Enqueue((context.MessageId, context.Message));
        return Task.CompletedTask;
    }
}

/// <summary>Counts messages of <typeparamref name="T"/> that finished consuming (successfully or not) on a host.</summary>
public sealed class ConsumedCounter<T> : IConsumeObserver
    where T : class
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public Task PreConsume<TMessage>(ConsumeContext<TMessage> context)
        where TMessage : class => Task.CompletedTask;

    public Task PostConsume<TMessage>(ConsumeContext<TMessage> context)
        where TMessage : class
    {
        if (typeof(TMessage) == typeof(T))
        {
            Interlocked.Increment(ref _count);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<TMessage>(ConsumeContext<TMessage> context, Exception exception)
        where TMessage : class => Task.CompletedTask;
}

/// <summary>Counts, per MessageId, the deliveries a host's consumers finished (successfully or not): to wait for one event before sending the next.</summary>
public sealed class ConsumedMessages : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _counts = new();

    public int Count(Guid messageId) => _counts.GetValueOrDefault(messageId);

    /// <summary>Waits until the host's consumers have finished <paramref name="times"/> deliveries of the message.</summary>
    public Task WaitAsync(Guid messageId, int times = 1) =>
        Eventually.Until(() => Task.FromResult(Count(messageId)), n => n >= times, what: $"message {messageId} to be consumed {times} time(s)");

    public Task PreConsume<TMessage>(ConsumeContext<TMessage> context)
        where TMessage : class => Task.CompletedTask;

    public Task PostConsume<TMessage>(ConsumeContext<TMessage> context)
        where TMessage : class
    {
        Note(context);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<TMessage>(ConsumeContext<TMessage> context, Exception exception)
        where TMessage : class
    {
        Note(context);
        return Task.CompletedTask;
    }

    private void Note(ConsumeContext context)
    {
        if (context.MessageId is { } id)
        {
            _counts.AddOrUpdate(id, 1, (_, n) => n + 1);
        }
    }
}
