using System.Diagnostics;
using Npgsql;

namespace CreditBank.LoadGenerator.Drill;

/// <summary>How long the bank took to settle after the load, and whether it did.</summary>
public sealed record Quiet(bool Reached, TimeSpan After, string LastSeen);

/// <summary>
/// The bank at rest: no event waiting in any service's outbox, the ledger and conversion's copy unchanged over several
/// looks in a row, and then no message in any of its queues (ready or being handled, retries included). The queues are
/// asked last: rabbitmqctl starts an Erlang VM each time, a second of CPU that the bank, settling, needs more.
/// </summary>
public static class Quiescence
{
    private static readonly TimeSpan Look = TimeSpan.FromSeconds(1);
    private const int StillLooks = 3;

    public static async Task<Quiet> WaitAsync(Broker broker, BankDatabases databases, TimeSpan timeout, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        string? previous = null;
        var still = 0;
        var firstStill = TimeSpan.Zero;
        var seen = "nothing looked at yet";
        while (clock.Elapsed < timeout)
        {
            try
            {
                var outboxes = (await Task.WhenAll(new[] { databases.Recognition, databases.Accounts, databases.Conversion }.Select(d => ScalarAsync(d,
                    "SELECT count(*) FROM outbox_messages WHERE published_at_ms IS NULL", ct)))).Sum();
                var state = $"ledger {await ScalarAsync(databases.Accounts, "SELECT count(*) FROM ledger_entries", ct):N0} entries, " +
                    $"conversion {await ScalarAsync(databases.Conversion, "SELECT count(*) FILTER (WHERE revoked) FROM learner_outcomes", ct):N0} revoked " +
                    $"of {await ScalarAsync(databases.Conversion, "SELECT count(*) FROM learner_outcomes", ct):N0} copies";
                seen = $"{outboxes:N0} events in outboxes, {state}";
                if (outboxes > 0 || state != previous)
                {
                    (still, firstStill) = (outboxes == 0 ? 1 : 0, clock.Elapsed);
                }
                else if (++still >= StillLooks)
                {
                    var queued = (await broker.QueuesAsync()).Where(q => q.IsConsumerQueue && q.Messages > 0).ToList();
                    if (queued.Count == 0)
                    {
                        return new Quiet(true, firstStill, $"no message queued, {seen}");
                    }

                    seen = $"{queued.Sum(q => q.Messages):N0} messages queued ({string.Join(", ", queued.Take(3).Select(q => $"{q.Name} {q.Messages:N0}"))}), {seen}";
                    (still, firstStill) = (0, clock.Elapsed);
                }

                previous = state;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // A store still coming back (rabbitmqctl fails while the broker starts): look again.
                seen = e.Message;
                (still, previous) = (0, null);
            }

            await Task.Delay(Look, ct);
        }

        return new Quiet(false, clock.Elapsed, seen);
    }

    private static async Task<long> ScalarAsync(string database, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 60 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
