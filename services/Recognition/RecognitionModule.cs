using CreditBank.Grpc;
using CreditBank.Grpc.Audit;
using CreditBank.Messaging;
using CreditBank.Persistence;
using CreditBank.PersonalData;
using CreditBank.Recognition.Batches;
using CreditBank.Recognition.Catalogue;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Events;
using CreditBank.Recognition.Grpc;
using CreditBank.Recognition.Reviews;
using CreditBank.Recognition.Revocations;
using CreditBank.Recognition.Submissions;
using CreditBank.Recognition.Workstations;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CreditBank.Recognition;

/// <summary>The recognition service (学习成果认定) as a module: used by its own Program.cs and by the standalone host.</summary>
public static class RecognitionModule
{
    public const string Name = "Recognition";

    private static readonly string SubmitOutcomeMethod = $"/{Contracts.Recognition.V1.RecognitionService.Descriptor.FullName}/SubmitOutcome";

    public static IHostApplicationBuilder AddRecognition(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddDocumentProtection();
        builder.Services.AddOptions<RecognitionOptions>().BindConfiguration(RecognitionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.AddServiceDatabase<RecognitionDb, SqliteRecognitionDb, PostgresRecognitionDb>(Name);
        builder.Services.AddSingleton<CatalogueStore>();
        builder.Services.AddHostedService<CatalogueSeed>();
        builder.Services.AddHostedService<CatalogueRefresh>();
        builder.Services.AddScoped<OutcomeIntake>();
        builder.Services.AddScoped<LearnerApplications>();
        builder.Services.AddScoped<BatchIngestion>();
        builder.Services.AddScoped<ReviewDesk>();
        builder.Services.AddScoped<OutcomeRevocation>();
        builder.Services.AddScoped<CatalogueEditor>();
        // Where identity runs in this process, its self-registered learners are verified against what institutions submitted.
        builder.Services.AddScoped<ILearnerVerifier, SubmittedLearners>();
        builder.Services.AddScoped<OutcomeChangeFeed>();
        builder.Services.AddScoped<WorkstationAdministration>();
        builder.AddConsumers(x => x.AddConsumer<InstitutionRegisteredConsumer>());
        builder.Services.AddSingleton<RecognitionTelemetry>();
        builder.Services.AddSingleton<SubmissionWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SubmissionWriter>());
        builder.AddOutbox<RecognitionDb>();
        builder.AddAudit<RecognitionDb>("recognition");
        var options = builder.Configuration.GetSection(RecognitionOptions.Section).Get<RecognitionOptions>() ?? new RecognitionOptions();
        builder.AddCallLimit(new CallLimit(SubmitOutcomeMethod, options.MaxConcurrentSubmits, options.SubmitWait));
        return builder;
    }

    public static IEndpointRouteBuilder MapRecognition(this IEndpointRouteBuilder app)
    {
        app.MapGrpcService<RecognitionGrpcService>();
        app.MapGrpcService<ReviewGrpcService>();
        app.MapGrpcService<CatalogueGrpcService>();
        app.MapGrpcService<BatchGrpcService>();
        app.MapGrpcService<WorkstationGrpcService>();
        app.MapAudit();
        app.MapBatchUpload();
        return app;
    }
}
