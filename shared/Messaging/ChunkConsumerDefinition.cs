using MassTransit;
using Microsoft.Extensions.Options;

namespace CreditBank.Messaging;

/// <summary>
/// For consumers of a batch chunk (hundreds of outcomes, a quarter of a megabyte or more, per message): a few at a time with a small
/// prefetch, so that memory stays bounded and the chunks do not fight each other for the same accounts and cores.
/// Register with <c>x.AddConsumer&lt;TConsumer&gt;(typeof(ChunkConsumerDefinition&lt;TConsumer&gt;))</c>.
/// </summary>
public sealed class ChunkConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly int _limit;

    public ChunkConsumerDefinition(IOptions<MessagingOptions> options)
    {
        _limit = options.Value.ChunkConcurrencyLimit;
        ConcurrentMessageLimit = _limit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.ConcurrentMessageLimit = _limit;
        endpointConfigurator.PrefetchCount = _limit * 2;
    }
}
