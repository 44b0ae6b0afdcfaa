using CreditBank.Contracts.Events;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using CreditBank.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Recognition.Events;

/// <summary>
/// Keeps recognition's institution registry (机构) in step with registration at the identity service: a new
/// institution is added, a known one takes the registration's name, kind, region and trust level. Once per event
/// (the inbox); an event whose code or kind recognition would refuse is logged and skipped, not retried for ever.
/// </summary>
public sealed partial class InstitutionRegisteredConsumer(RecognitionDb db, CatalogueStore store, ILogger<InstitutionRegisteredConsumer> logger)
    : IConsumer<InstitutionRegistered>
{
    public async Task Consume(ConsumeContext<InstitutionRegistered> context)
    {
        var registered = context.Message;
        var problem = InstitutionCode.Problem(registered.Code)
            ?? (Institution.Kinds.Contains(registered.Kind) && Institution.Regions.Contains(registered.Region)
                ? null
                : $"kind '{registered.Kind}' or region '{registered.Region}' is not one recognition knows");
        if (problem is not null)
        {
            LogRefused(registered.Code, problem);
            return;
        }

        await db.ProcessOnceAsync(context, nameof(InstitutionRegisteredConsumer), async ct =>
        {
            var institution = await db.Institutions.FirstOrDefaultAsync(i => i.Code == registered.Code, ct);
            if (institution is null)
            {
                institution = new Institution { Code = registered.Code, Name = registered.Name, Kind = registered.Kind, Region = registered.Region };
                db.Institutions.Add(institution);
            }

            (institution.Name, institution.Kind, institution.Region, institution.IsTrustedIssuer) =
                (registered.Name, registered.Kind, registered.Region, registered.TrustLevel == "TRUSTED");
        });
        await store.ReloadAsync(db, context.CancellationToken);
    }

    [LoggerMessage(EventId = 3601, Level = LogLevel.Warning, Message = "InstitutionRegistered for {Code} skipped: {Problem}")]
    private partial void LogRefused(string code, string problem);
}
