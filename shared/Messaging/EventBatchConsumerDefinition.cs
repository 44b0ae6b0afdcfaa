using MassTransit;
using Microsoft.Extensions.Options;

namespace CreditBank.Messaging;

/// <summary>
/// For consumers of one small event at a time that implement <c>IConsumer&lt;Batch&lt;TEvent&gt;&gt;</c>: under load,
/// the events that arrive together are handled together, in one transaction with one commit, instead of one each.
/// A lone event waits at most <see cref="EventBatchOptions.TimeLimit"/> for company.
/// Register with <c>x.AddConsumer&lt;TConsumer&gt;(typeof(EventBatchConsumerDefinition&lt;TConsumer&gt;))</c>.
/// </summary>
public sealed class EventBatchConsumerDefinition<TConsumer>(IOptions<MessagingOptions> options) : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly EventBatchOptions _batches = options.Value.EventBatches;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        // MassTransit raises the endpoint's prefetch and concurrency to fit MessageLimit × ConcurrencyLimit.
        consumerConfigurator.Options<BatchOptions>(o => o
            .SetMessageLimit(_batches.MessageLimit)
            .SetTimeLimit(_batches.TimeLimit)
            .SetConcurrencyLimit(_batches.ConcurrencyLimit));
}
