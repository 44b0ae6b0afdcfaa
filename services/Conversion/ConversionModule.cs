using CreditBank.Conversion.Applications;
using CreditBank.Conversion.Data;
using CreditBank.Conversion.Events;
using CreditBank.Conversion.Grpc;
using CreditBank.Conversion.OutcomeFeed;
using CreditBank.Conversion.Programmes;
using CreditBank.Conversion.Rules;
using CreditBank.Grpc.Audit;
using CreditBank.Messaging;
using CreditBank.Persistence;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CreditBank.Conversion;

/// <summary>The conversion service (学分转换) as a module: used by its own Program.cs and by the standalone host.</summary>
public static class ConversionModule
{
    public const string Name = "Conversion";

    public static IHostApplicationBuilder AddConversion(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddServiceDatabase<ConversionDb, SqliteConversionDb, PostgresConversionDb>(Name);
        builder.Services.AddHostedService<ProgrammeSeed>();
        builder.Services.AddSingleton<RuleBookCache>();
        builder.Services.AddSingleton<GradingSchemeCache>();
        builder.Services.AddScoped<ApplicationDesk>();
        builder.Services.AddScoped<RuleVersioning>();
        builder.Services.AddScoped<ProgrammeVersioning>();
        builder.AddOutbox<ConversionDb>();
        builder.AddAudit<ConversionDb>("conversion");
        // The outcome change feed, where recognition's address is given: a new database catches up from it.
        builder.Services.Configure<OutcomeFeedOptions>(builder.Configuration.GetSection(OutcomeFeedOptions.Section));
        builder.Services.AddHttpClient(OutcomeFeedFollower.HttpClientName);
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{OutcomeFeedOptions.Section}:{nameof(OutcomeFeedOptions.RecognitionUrl)}"]))
        {
            builder.Services.AddHostedService<OutcomeFeedFollower>();
        }

        builder.AddConsumers(x =>
        {
            x.AddConsumer<OutcomesRecognisedConsumer>(typeof(ListEventConsumerDefinition<OutcomesRecognisedConsumer>));
            x.AddConsumer<OutcomeRevokedConsumer>();
            x.AddConsumer<GradingSchemeDefinedConsumer>();
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapConversion(this IEndpointRouteBuilder app)
    {
        app.MapGrpcService<ConversionGrpcService>();
        app.MapAudit();
        return app;
    }
}
