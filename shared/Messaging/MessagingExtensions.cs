using CreditBank.Messaging.Parked;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using CreditBank.Persistence;

namespace CreditBank.Messaging;

public static class MessagingExtensions
{
    /// <summary>Gives <typeparamref name="TDb"/> an outbox: its committed events are relayed to the bus.</summary>
    public static IHostApplicationBuilder AddOutbox<TDb>(this IHostApplicationBuilder builder)
        where TDb : DbContext
    {
        builder.Services.AddMessagingOptions();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<MessagingMetrics>();
        builder.Services.AddSingleton<OutboxSignal<TDb>>();
        builder.Services.AddSingleton(sp => new DbInterceptorRegistration<TDb>(new OutboxSaveSignal<TDb>(sp.GetRequiredService<OutboxSignal<TDb>>())));
        builder.Services.AddSingleton(sp => new DbInterceptorRegistration<TDb>(new OutboxCommitSignal<TDb>(sp.GetRequiredService<OutboxSignal<TDb>>())));
        builder.Services.AddHostedService<OutboxRelay<TDb>>();
        builder.Services.AddHostedService<MessageRetention<TDb>>();
        builder.Services.AddHealthChecks().AddCheck<OutboxHealthCheck<TDb>>($"{typeof(TDb).Name.ToLowerInvariant()}-outbox");
        return builder;
    }

    /// <summary>A module's consumers; the bus is built once, by <see cref="AddBus"/>, from every module's list.</summary>
    public static IHostApplicationBuilder AddConsumers(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> register)
    {
        var registry = builder.Services.Select(d => d.ImplementationInstance).OfType<ConsumerRegistry>().FirstOrDefault();
        if (registry is null)
        {
            registry = new ConsumerRegistry();
            builder.Services.AddSingleton(registry);
        }

        registry.Registrations.Add(register);
        return builder;
    }

    /// <summary>MassTransit on the configured transport, with every module's consumers. Call once, after the modules.</summary>
    public static IHostApplicationBuilder AddBus(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMessagingOptions();
        var options = builder.Configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>() ?? new MessagingOptions();
        var registry = builder.Services.Select(d => d.ImplementationInstance).OfType<ConsumerRegistry>().FirstOrDefault();
        // Queue names carry the consumer's namespace, so two services' consumers of one event never share a queue.
        var endpointNames = new KebabCaseEndpointNameFormatter(prefix: null, includeNamespace: true);
        var consumerQueues = new ConsumerQueues();

        builder.Services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(endpointNames);
            foreach (var register in registry?.Registrations ?? [])
            {
                register(x);
            }

            // The consumer endpoints' queues as the bus names them: those whose parked messages MapBus shows and moves.
            x.AddConfigureEndpointsCallback((_, queue, _) => consumerQueues.Add(queue));

            switch (options.Transport)
            {
                case Transport.InMemory:
                    x.UsingInMemory((context, cfg) =>
                    {
                        ConfigureReceive(context, cfg, options);
                        cfg.ConfigureEndpoints(context);
                    });
                    break;
                case Transport.RabbitMq:
                    x.AddConfigureEndpointsCallback((_, _, cfg) =>
                    {
                        if (cfg is IRabbitMqReceiveEndpointConfigurator rabbit)
                        {
                            rabbit.SetQuorumQueue();
                        }
                    });
                    x.UsingRabbitMq((context, cfg) =>
                    {
                        cfg.Host(new Uri(options.RabbitMqUri), h =>
                        {
                            h.PublisherConfirmation = true;
                            if (options.RabbitMqClusterNodes.Length > 0)
                            {
                                h.UseCluster(c =>
                                {
                                    foreach (var node in options.RabbitMqClusterNodes)
                                    {
                                        c.Node(node);
                                    }
                                });
                            }
                        });
                        ConfigureReceive(context, cfg, options);
                        cfg.ConfigureEndpoints(context);
                    });
                    break;
            }
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<MessagingMetrics>();
        builder.Services.AddSingleton<BrokerConnection>();
        builder.Services.AddSingleton(sp =>
        {
            // The bus names its endpoints (the callback above) as it is built: build it before the names are read.
            sp.GetRequiredService<IBusControl>();
            return consumerQueues;
        });
        builder.Services.AddSingleton<ParkedQueues>();
        builder.Services.AddHealthChecks().AddCheck<BrokerHealthCheck>("broker");
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            // Start without waiting for the broker: the outbox holds events until it is reachable.
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(15);
        });
        return builder;
    }

    /// <summary>
    /// The bus's own RPCs, once per process that calls <see cref="AddBus"/>: creditbank.operations.v1.ParkedMessagesService
    /// (administrators list and restore what this process's consumers parked in their <c>_error</c> queues).
    /// </summary>
    public static IEndpointRouteBuilder MapBus(this IEndpointRouteBuilder app)
    {
        app.MapGrpcService<ParkedMessagesGrpcService>();
        return app;
    }

    private static void ConfigureReceive(IBusRegistrationContext context, IBusFactoryConfigurator cfg, MessagingOptions options)
    {
        // Every consumer's events and lag counted, and the trace state of what it consumes passed on (MessagingTelemetry).
        cfg.ConnectConsumerConfigurationObserver(new ConsumerTelemetry(context.GetRequiredService<MessagingMetrics>()));
        // Events as the outbox stored them (EventJson); MassTransit's envelope stays the default, and is still read.
        cfg.AddDeserializer(new EventJsonSerializerFactory());
        cfg.ConcurrentMessageLimit = options.ConcurrencyLimit;
        cfg.PrefetchCount = options.ConcurrencyLimit * 2;
        // A concurrent writer is retried soon, a database that is away is waited out (ConsumerRetryPolicy); what still
        // fails goes to _error.
        ConsumerRetryPolicy.Use(cfg);
    }

    private static IServiceCollection AddMessagingOptions(this IServiceCollection services)
    {
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.Section);
        return services;
    }

    private sealed class ConsumerRegistry
    {
        public List<Action<IBusRegistrationConfigurator>> Registrations { get; } = [];
    }
}
