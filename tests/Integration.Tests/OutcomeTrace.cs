using System.Diagnostics;
using CreditBank.Contracts.Recognition.V1;
using Grpc.Core;

namespace CreditBank.Integration.Tests;

/// <summary>
/// One outcome's trace, as an operator's tracing backend would show it: from the institution's call through
/// recognition's write, its outbox relay and RabbitMQ to accounts' consumer and the ledger entry it inserts.
/// </summary>
/// <remarks>Alone: a submission written in a group with other callers' is a child of the first caller's span only.</remarks>
[Collection(typeof(RunsAlone))]
public sealed class OutcomeTrace(DistributedBankHost bank)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_submitted_outcome_is_one_trace_from_the_call_through_the_outbox_and_rabbitmq_to_the_ledger_entry()
    {
        var number = Requests.ResidentId(262);
        var caller = bank.Traces.Begin();

        await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: number, credits: 2),
            new Metadata { { "traceparent", TraceCollector.TraceParent(caller) } }, cancellationToken: _ct);
        await bank.WaitForCreditsAsync(number, 1);
        var spans = await SpansUntilAsync(caller.TraceId, s => s.Any(IsLedgerInsert));
        Assert.True(spans.Any(IsLedgerInsert), Describe("the ledger entry's insert in the outcome's trace", spans));

        var call = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("RecognitionService/SubmitOutcome", StringComparison.Ordinal));
        var write = Assert.Single(spans, s => s.Source.Name == "CreditBank.Recognition" && s.DisplayName == "write submissions");
        var publish = Assert.Single(spans, s => s.Source.Name == "CreditBank.Messaging" && s.DisplayName == "outbox publish OutcomesRecognised");
        // MassTransit's spans of accounts' consumer (its queue: credit-bank-accounts-events-outcomes-recognised): the event's
        // delivery, and the delivery of the events that arrived together, which the consumer handles (ListEventConsumer).
        var consumes = spans.Where(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer
            && s.GetTagItem("messaging.operation") as string == "process" && s.DisplayName.StartsWith("credit-bank-accounts-", StringComparison.Ordinal)).ToList();
        var insert = spans.First(IsLedgerInsert);
        Assert.Equal(caller.SpanId, call.ParentSpanId);
        Assert.Equal(call.SpanId, write.ParentSpanId);
        Assert.Equal(write.SpanId, publish.ParentSpanId);
        Assert.True(consumes.Count > 0 && consumes.All(c => IsBelow(c, publish, spans)), Describe("the consumer's spans under the relay's publish", spans));
        Assert.True(consumes.Any(c => IsBelow(insert, c, spans)), Describe("the ledger entry's insert under the consumer's span", spans));
        Assert.DoesNotContain(spans, s => s.TagObjects.Any(t => t.Value?.ToString()?.Contains(number, StringComparison.Ordinal) == true)
            || s.DisplayName.Contains(number, StringComparison.Ordinal));
    }

    /// <summary>The trace's spans once <paramref name="complete"/>, or as they are after 15 s.</summary>
    private async Task<IReadOnlyList<Activity>> SpansUntilAsync(ActivityTraceId traceId, Func<IReadOnlyList<Activity>, bool> complete)
    {
        try
        {
            return await Eventually.Until(() => Task.FromResult(bank.Traces.Spans(traceId)), complete, what: "the outcome's trace");
        }
        catch (TimeoutException)
        {
            return bank.Traces.Spans(traceId);
        }
    }

    /// <summary>Accounts' insert of ledger entries (Npgsql's span, in accounts' own database).</summary>
    private bool IsLedgerInsert(Activity span) =>
        span.Source.Name == "Npgsql"
        && span.GetTagItem("db.query.text") is string statement && statement.StartsWith("INSERT INTO \"ledger_entries\"", StringComparison.Ordinal)
        && span.GetTagItem("db.namespace") is string database && bank.AccountsDatabase.EndsWith($"Database={database}", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="ancestor"/> is reached from <paramref name="span"/> by parent links within the trace.</summary>
    private static bool IsBelow(Activity span, Activity ancestor, IReadOnlyList<Activity> trace)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        for (var parent = span.ParentSpanId; byId.TryGetValue(parent, out var next); parent = next.ParentSpanId)
        {
            if (next == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(string expected, IReadOnlyList<Activity> trace) =>
        $"Expected {expected}; the trace: " + string.Join("; ", trace.Select(s =>
            $"{s.SpanId} ← {s.ParentSpanId} [{s.Source.Name}] {s.Kind} {s.DisplayName} {{{string.Join(", ", s.TagObjects.Select(t => $"{t.Key}={t.Value}"))}}}"));
}
