using CreditBank.Accounts.Claims;
using CreditBank.Accounts.Data;
using CreditBank.Accounts.Events;
using CreditBank.Accounts.Grpc;
using CreditBank.Messaging;
using CreditBank.Persistence;
using CreditBank.PersonalData;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace CreditBank.Accounts;

/// <summary>Bound from <c>Redis</c>; an empty configuration means no cache.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>StackExchange.Redis configuration, e.g. <c>127.0.0.1:6379</c>.</summary>
    public string Configuration { get; set; } = string.Empty;
}

/// <summary>The accounts service (学习账户, 学分账本) as a module: used by its own Program.cs and by the standalone host.</summary>
public static class AccountsModule
{
    public const string Name = "Accounts";

    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<AccountClaim>();
        builder.Services.AddDocumentProtection();
        builder.AddServiceDatabase<AccountsDb, SqliteAccountsDb, PostgresAccountsDb>(Name);
        builder.AddOutbox<AccountsDb>();
        builder.AddConsumers(x =>
        {
            x.AddConsumer<OutcomesRecognisedConsumer>(typeof(ListEventConsumerDefinition<OutcomesRecognisedConsumer>));
            x.AddConsumer<OutcomeRevokedConsumer>();
            x.AddConsumer<CreditsConvertedConsumer>();
        });

        var redis = builder.Configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions();
        if (string.IsNullOrWhiteSpace(redis.Configuration))
        {
            builder.Services.AddSingleton<IAccountSummaryCache, NoAccountSummaryCache>();
        }
        else
        {
            var options = ConfigurationOptions.Parse(redis.Configuration);
            options.AbortOnConnectFail = false;
            builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
            builder.Services.AddSingleton<LocalSummaries>();
            builder.Services.AddSingleton<IAccountSummaryCache, RedisAccountSummaryCache>();
            builder.Services.AddHostedService<AccountChanges>();
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        app.MapGrpcService<AccountsGrpcService>();
        return app;
    }
}
