using MassTransit;
using Microsoft.Extensions.Options;

namespace CreditBank.Messaging;

/// <summary>
/// For consumers of list-carrying events that may be large (a batch chunk's <c>OutcomesRecognised</c> carries hundreds of
/// outcomes, a quarter of a megabyte or more): a few at a time with a small prefetch, so that memory stays bounded and the
/// lists do not fight each other for the same accounts and cores. A small list (a lone submission) costs what it costs.
/// Register with <c>x.AddConsumer&lt;TConsumer&gt;(typeof(ListEventConsumerDefinition&lt;TConsumer&gt;))</c>.
/// </summary>
public sealed class ListEventConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly int _limit;

    public ListEventConsumerDefinition(IOptions<MessagingOptions> options)
    {
        _limit = options.Value.ListConcurrencyLimit;
        ConcurrentMessageLimit = _limit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.ConcurrentMessageLimit = _limit;
        endpointConfigurator.PrefetchCount = _limit * 2;
    }
}
