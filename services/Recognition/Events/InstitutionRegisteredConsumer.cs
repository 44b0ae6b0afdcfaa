using CreditBank.Contracts.Events;
using CreditBank.Contracts.Learning;
using CreditBank.Messaging;
using CreditBank.Recognition.Data;
using CreditBank.Recognition.Domain;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Recognition.Events;

/// <summary>
/// Keeps recognition's institution registry (机构) in step with registration at the identity service: a new
/// institution is added, a known one takes the registration's name, kind, region and trust level. Once per event
/// (the inbox); an event whose code or kind recognition would refuse is logged and skipped, not retried for ever.
/// </summary>
/// <remarks>
/// Any arrival order converges: each event states the institution whole, and an event older than the facts the registry
/// holds (<see cref="Institution.FactsAt"/>) changes nothing, so a registration that arrives after a change stays behind it.
/// </remarks>
public sealed partial class InstitutionRegisteredConsumer(RecognitionDb db, CatalogueStore store, ILogger<InstitutionRegisteredConsumer> logger)
    : IConsumer<InstitutionRegistered>, IConsumer<InstitutionChanged>
{
    public Task Consume(ConsumeContext<InstitutionRegistered> context) => ApplyAsync(context, context.Message.Institution, context.Message.OccurredAt);

    public Task Consume(ConsumeContext<InstitutionChanged> context) => ApplyAsync(context, context.Message.Institution, context.Message.OccurredAt);

    private async Task ApplyAsync<T>(ConsumeContext<T> context, InstitutionFacts facts, DateTimeOffset occurredAt)
        where T : class
    {
        var problem = InstitutionCode.Problem(facts.Code)
            ?? (Institution.Kinds.Contains(facts.Kind) && Institution.Regions.Contains(facts.Region)
                ? null
                : $"kind '{facts.Kind}' or region '{facts.Region}' is not one recognition knows");
        if (problem is not null)
        {
            LogRefused(facts.Code, problem);
            return;
        }

        await db.ProcessOnceAsync(context, nameof(InstitutionRegisteredConsumer), async ct =>
        {
            var institution = await db.Institutions.FirstOrDefaultAsync(i => i.Code == facts.Code, ct);
            if (institution is null)
            {
                institution = new Institution { Code = facts.Code, Name = facts.Name, Kind = facts.Kind, Region = facts.Region };
                db.Institutions.Add(institution);
            }
            else if (institution.FactsAt > occurredAt)
            {
                return;
            }

            (institution.Name, institution.Kind, institution.Region, institution.IsTrustedIssuer, institution.FactsAt) =
                (facts.Name, facts.Kind, facts.Region, facts.IsTrustedIssuer, occurredAt);
        });
        await store.ReloadAsync(db, context.CancellationToken);
    }

    [LoggerMessage(EventId = 3601, Level = LogLevel.Warning, Message = "Institution event for {Code} skipped: {Problem}")]
    private partial void LogRefused(string code, string problem);
}
