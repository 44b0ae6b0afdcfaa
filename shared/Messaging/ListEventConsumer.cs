using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreditBank.Messaging;

/// <summary>
/// A consumer of a list-carrying event (<c>OutcomesRecognised</c>: one submission's outcome, a group written together,
/// or a batch chunk's hundreds). The events that arrive together are handled in parts of about
/// <see cref="ListEventOptions.PartItems"/> items, each part in one transaction with one inbox row per event: a stream of
/// small events (single submissions, a few outcomes each) costs one transaction, one commit and one announcement per
/// part rather than per event, while a batch chunk still goes alone. Register with
/// <see cref="ListEventConsumerDefinition{TConsumer}"/>.
/// </summary>
/// <remarks>
/// A part fails or commits whole. When one fails, MassTransit retries the whole delivery: the parts committed before
/// are acknowledged by the inbox without running again.
/// </remarks>
public abstract class ListEventConsumer<TEvent>(DbContext db, IOptions<MessagingOptions> options) : IConsumer<Batch<TEvent>>
    where TEvent : class
{
    public async Task Consume(ConsumeContext<Batch<TEvent>> context)
    {
        foreach (var part in Parts(context.Message, options.Value.ListEvents.PartItems))
        {
            var handled = await db.ProcessOnceAsync(part, GetType().Name, HandleAsync, context.CancellationToken);
            db.ChangeTracker.Clear();
            if (handled.Count > 0)
            {
                await HandledAsync(handled, context.CancellationToken);
            }
        }
    }

    /// <summary>The items (outcomes) an event carries: what a part's size counts.</summary>
    protected abstract int ItemsOf(TEvent message);

    /// <summary>Changes state for events not handled before, inside the part's transaction (not committed yet).</summary>
    protected abstract Task HandleAsync(IReadOnlyList<TEvent> events, CancellationToken ct);

    /// <summary>After the part's commit: what must follow it (a cache to forget, a log line).</summary>
    protected virtual Task HandledAsync(IReadOnlyList<TEvent> events, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Consecutive events until a part holds <paramref name="partItems"/> items; an event larger than that alone.</summary>
    private IEnumerable<List<ConsumeContext<TEvent>>> Parts(Batch<TEvent> batch, int partItems)
    {
        var part = new List<ConsumeContext<TEvent>>();
        var items = 0;
        foreach (var message in batch)
        {
            var size = ItemsOf(message.Message);
            if (part.Count > 0 && items + size > partItems)
            {
                yield return part;
                part = [];
                items = 0;
            }

            part.Add(message);
            items += size;
        }

        if (part.Count > 0)
        {
            yield return part;
        }
    }
}

/// <summary>
/// For <see cref="ListEventConsumer{TEvent}"/>s: the events that arrive within <see cref="ListEventOptions.TimeLimit"/>
/// of each other, up to <see cref="ListEventOptions.MessageLimit"/>, are handed over together, and
/// <see cref="ListEventOptions.ConcurrencyLimit"/> such deliveries are handled at once — few, so that batch chunks
/// (a quarter of a megabyte each) do not fight over the same accounts and cores, and memory stays bounded: the broker
/// sends at most MessageLimit × ConcurrencyLimit events ahead.
/// Register with <c>x.AddConsumer&lt;TConsumer&gt;(typeof(ListEventConsumerDefinition&lt;TConsumer&gt;))</c>.
/// </summary>
public sealed class ListEventConsumerDefinition<TConsumer>(IOptions<MessagingOptions> options) : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly ListEventOptions _lists = options.Value.ListEvents;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        // MassTransit sets the endpoint's prefetch and concurrency to fit MessageLimit × ConcurrencyLimit.
        consumerConfigurator.Options<BatchOptions>(o => o
            .SetMessageLimit(_lists.MessageLimit)
            .SetTimeLimit(_lists.TimeLimit)
            .SetConcurrencyLimit(_lists.ConcurrencyLimit));
}
