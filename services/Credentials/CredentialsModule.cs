using CreditBank.Credentials.Data;
using CreditBank.Credentials.Domain;
using CreditBank.Credentials.Events;
using CreditBank.Credentials.Grpc;
using CreditBank.Credentials.Public;
using CreditBank.Messaging;
using CreditBank.Persistence;
using CreditBank.PersonalData;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CreditBank.Credentials;

/// <summary>The credentials service (可验证学习成果证明) as a module: used by its own Program.cs and by the standalone host.</summary>
public static class CredentialsModule
{
    public const string Name = "Credentials";

    public static IHostApplicationBuilder AddCredentials(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddDocumentProtection();
        builder.AddServiceDatabase<CredentialsDb, SqliteCredentialsDb, PostgresCredentialsDb>(Name);
        builder.AddOutbox<CredentialsDb>();

        builder.Services.AddOptions<CredentialsOptions>().Bind(builder.Configuration.GetSection(CredentialsOptions.Section))
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out _), "Credentials:PublicBaseUrl must be an absolute URL: every credential names it.")
            .Validate(o => o.StatusListSize >= CredentialsOptions.MinStatusListSize && o.StatusListSize % 8 == 0,
                $"Credentials:StatusListSize must be a multiple of 8 and at least {CredentialsOptions.MinStatusListSize}.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<CredentialsOptions>>().Value);
        var dataFolder = DataFolder.Resolve(builder.Configuration);
        builder.Services.AddSingleton(sp => SigningKeys.Load(sp.GetRequiredService<CredentialsOptions>(), dataFolder));
        builder.Services.AddSingleton<CredentialFactory>();
        builder.Services.AddSingleton<DecisionSigner>();
        builder.Services.AddSingleton<StatusListCache>();
        builder.Services.AddSingleton<KeptCredentialCache>();
        builder.Services.AddSingleton(sp => new CredentialVerifier(sp.GetRequiredService<CredentialsOptions>(), sp.GetRequiredService<IssuerKeyRing>(),
            sp.GetRequiredService<StatusListCache>().BitsAsync));
        builder.Services.AddScoped<CredentialStore>();
        builder.Services.AddScoped<Issuance>();

        builder.AddConsumers(x =>
        {
            x.AddConsumer<OutcomesRecognisedConsumer>(typeof(ListEventConsumerDefinition<OutcomesRecognisedConsumer>));
            x.AddConsumer<OutcomesRejectedConsumer>(typeof(ListEventConsumerDefinition<OutcomesRejectedConsumer>));
            x.AddConsumer<OutcomeRevokedConsumer>();
            x.AddConsumer<CreditsConvertedConsumer>();
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapCredentials(this IEndpointRouteBuilder app)
    {
        app.MapGrpcService<CredentialsGrpcService>();
        app.MapPublicCredentials();
        return app;
    }
}
