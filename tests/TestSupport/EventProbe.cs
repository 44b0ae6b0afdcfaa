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
