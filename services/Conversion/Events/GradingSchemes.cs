using CreditBank.Contracts.Events;
using CreditBank.Conversion.Data;
using CreditBank.Conversion.Domain;
using CreditBank.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Conversion.Events;

/// <summary>
/// Learns the grading schemes recognition's catalogue defines, so that grades in a scheme registered by data
/// (<c>LETTER_AF</c>, <c>GPA_4</c>) are understood when rules compare them.
/// </summary>
/// <remarks>
/// Any arrival order converges: a code keeps the definition that happened last (<see cref="GradingSchemeDefined.OccurredAt"/>),
/// and an older one arriving later changes nothing. Two definitions of one code in flight at once meet on its row (the
/// time it holds is a concurrency token): one retries and then compares with the other's.
/// </remarks>
public sealed class GradingSchemeDefinedConsumer(ConversionDb db, GradingSchemeCache schemes) : IConsumer<GradingSchemeDefined>
{
    public async Task Consume(ConsumeContext<GradingSchemeDefined> context)
    {
        await db.ProcessOnceAsync(context, nameof(GradingSchemeDefinedConsumer), async ct =>
        {
            var defined = context.Message;
            var definition = ConversionJson.Write(new RegisteredGradingScheme
            {
                Code = defined.Code,
                Name = defined.Name,
                IsNumeric = defined.Kind == "NUMERIC",
                Min = defined.Min,
                Max = defined.Max,
                PassMark = defined.PassMark,
                Values = defined.Values.Select(v => new RegisteredGradeValue(v.Value, v.Passes)).ToList(),
            });
            var known = await db.GradingSchemes.FirstOrDefaultAsync(g => g.Code == defined.Code, ct);
            if (known is null)
            {
                db.GradingSchemes.Add(new GradingSchemeRecord { Code = defined.Code, Definition = definition, DefinedAt = defined.OccurredAt });
            }
            else if (known.DefinedAt < defined.OccurredAt)
            {
                (known.Definition, known.DefinedAt) = (definition, defined.OccurredAt);
            }
        });
        schemes.Invalidate();
    }
}
