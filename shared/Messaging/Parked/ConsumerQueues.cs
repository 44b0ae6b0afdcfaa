using System.Collections.Concurrent;

namespace CreditBank.Messaging.Parked;

/// <summary>
/// The queues of this process's consumer endpoints, named as MassTransit named them when <see cref="MessagingExtensions.AddBus"/>
/// configured them (the endpoint name formatter, from every module's consumers): the only queues whose parked messages
/// this process shows and moves.
/// </summary>
internal sealed class ConsumerQueues
{
    private readonly ConcurrentDictionary<string, byte> _names = new(StringComparer.Ordinal);

    /// <summary>Called by the bus for each consumer endpoint it configures.</summary>
    public void Add(string queue) => _names.TryAdd(queue, 0);

    public bool Contains(string queue) => _names.ContainsKey(queue);

    public IReadOnlyList<string> Names => [.. _names.Keys.Order(StringComparer.Ordinal)];
}
