using CreditBank.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CreditBank.TestSupport;

public static class Probes
{
    /// <summary>Adds a probe consumer of <typeparamref name="T"/> to the host's bus (its own queue, like another service).</summary>
    public static IHostApplicationBuilder AddEventProbe<T>(this IHostApplicationBuilder builder)
        where T : class
    {
        builder.Services.AddSingleton<EventProbe<T>>();
        builder.AddConsumers(x => x.AddConsumer<EventProbeConsumer<T>>());
        return builder;
    }

    /// <summary>Counts consumed <typeparamref name="T"/> messages on the host's bus.</summary>
    public static IHostApplicationBuilder AddConsumedCounter<T>(this IHostApplicationBuilder builder)
        where T : class
    {
        builder.Services.AddSingleton<ConsumedCounter<T>>();
        builder.Services.AddConsumeObserver(sp => sp.GetRequiredService<ConsumedCounter<T>>());
        return builder;
    }

    /// <summary>Counts consumed messages by MessageId on the host's bus (<see cref="ConsumedMessages"/>).</summary>
    public static IHostApplicationBuilder AddConsumedMessages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConsumedMessages>();
        builder.Services.AddConsumeObserver(sp => sp.GetRequiredService<ConsumedMessages>());
        return builder;
    }
}
