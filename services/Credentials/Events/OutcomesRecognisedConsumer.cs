using CreditBank.Contracts.Events;
using CreditBank.Credentials.Data;
using CreditBank.Credentials.Domain;
using CreditBank.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreditBank.Credentials.Events;

/// <summary>
/// Records recognised outcomes (a status-list index each, chosen at random) so that their credentials can be issued,
/// and signs each recognition decision; those that arrive together in one transaction (<see cref="ListEventConsumer{TEvent}"/>).
/// </summary>
/// <remarks>
/// Any arrival order converges. An outcome has one row, written by whichever of its events comes first (its
/// recognition, its revocation, a conversion that used it) with its status index; the recognition fills in its facts
/// and never clears <see cref="OutcomeRecord.Revoked"/>, so a revocation that came first stays, bit set. The decision
/// is signed once per outcome (its key is the outcome and kind). Events in flight at once for one outcome meet on its
/// row (its key, or its version), and on the status list's version, so one of them retries and then sees the other's
/// work. A redelivery is stopped by the inbox, and would change nothing past it.
/// </remarks>
public sealed class OutcomesRecognisedConsumer(CredentialsDb db, CredentialsOptions options, DecisionSigner signer, TimeProvider time,
    IOptions<MessagingOptions> messaging) : ListEventConsumer<OutcomesRecognised>(db, messaging)
{
    protected override int ItemsOf(OutcomesRecognised message) => message.Outcomes.Count;

    protected override async Task HandleAsync(IReadOnlyList<OutcomesRecognised> events, CancellationToken ct)
    {
        var ids = events.SelectMany(e => e.Outcomes).Select(o => o.OutcomeId).ToList();
        var rows = await db.Outcomes.Where(o => ids.Contains(o.OutcomeId)).ToDictionaryAsync(o => o.OutcomeId, ct);
        var signed = (await db.Decisions.Where(d => ids.Contains(d.SubjectId) && d.Kind == DecisionKind.Recognition).Select(d => d.SubjectId)
            .ToListAsync(ct)).ToHashSet();
        var lists = new StatusLists(db, options, time);
        foreach (var recognised in events)
        {
            foreach (var outcome in recognised.Outcomes)
            {
                if (!rows.TryGetValue(outcome.OutcomeId, out var row))
                {
                    row = OutcomeRows.New(outcome.OutcomeId, await lists.AllocateAsync(ct), outcome.Learner.DocumentType, outcome.Learner.DocumentHash);
                    db.Outcomes.Add(row);
                    rows[outcome.OutcomeId] = row;
                }

                if (row.RecognisedAt is null)
                {
                    OutcomeRows.Recognise(row, outcome, recognised.OccurredAt);
                }

                if (signed.Add(outcome.OutcomeId))
                {
                    db.Decisions.Add(DecisionRecord.From(signer.Recognition(outcome, recognised)));
                }
            }
        }
    }
}

/// <summary>Signs each rejection decision (不予认定); nothing is banked, so there is nothing else to record.</summary>
/// <remarks>Any order converges: one signed decision per outcome and kind, the first one kept; nothing else is written.</remarks>
public sealed class OutcomesRejectedConsumer(CredentialsDb db, DecisionSigner signer, IOptions<MessagingOptions> messaging)
    : ListEventConsumer<OutcomesRejected>(db, messaging)
{
    protected override int ItemsOf(OutcomesRejected message) => message.Outcomes.Count;

    protected override async Task HandleAsync(IReadOnlyList<OutcomesRejected> events, CancellationToken ct)
    {
        var ids = events.SelectMany(e => e.Outcomes).Select(o => o.OutcomeId).ToList();
        var signed = (await db.Decisions.Where(d => ids.Contains(d.SubjectId) && d.Kind == DecisionKind.Rejection).Select(d => d.SubjectId)
            .ToListAsync(ct)).ToHashSet();
        foreach (var rejected in events)
        {
            foreach (var outcome in rejected.Outcomes.Where(o => signed.Add(o.OutcomeId)))
            {
                db.Decisions.Add(DecisionRecord.From(signer.Rejection(outcome, rejected)));
            }
        }
    }
}
