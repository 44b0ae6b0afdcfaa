using System.Data.Common;
using MassTransit;
using MassTransit.RetryPolicies;

namespace CreditBank.Messaging;

/// <summary>
/// Every consumer's retries, as one policy that looks at each failure as it comes:
/// <list type="bullet">
/// <item>a conflict between writers (a unique key or a version a concurrent message also claimed, a deadlock) is tried
/// again soon: <see cref="QuickTries"/> tries, 50 ms growing to 5 s, ~17 s in all;</item>
/// <item>the consumer's database away — PostgreSQL restarting or in crash recovery ("the database system is starting
/// up", 57P03), a connection refused or cut — is waited out, a try every <see cref="OutageInterval"/> for up to
/// <see cref="OutageTries"/> tries (~10 minutes), so that an <c>_error</c> queue holds poison and not an outage
/// (make drill's kill -9 of PostgreSQL takes ~60 s to serve again, and parked deposits and reversals before this).</item>
/// </list>
/// One policy, not two nested <c>UseMessageRetry</c> filters: MassTransit does not nest them (an inner filter that gives
/// up hands its retry context to the outer one, which then rethrows at once), so an outage policy around the quick one
/// parked the first conflict that followed the outage.
/// </summary>
public sealed class ConsumerRetryPolicy(IExceptionFilter filter) : IRetryPolicy
{
    /// <summary>Retries every message consumed through <paramref name="configurator"/> with this policy.</summary>
    public static void Use(IConsumePipeConfigurator configurator) =>
        configurator.UseMessageRetry(r => r.SetRetryPolicy(exceptions => new ConsumerRetryPolicy(exceptions)));

    public const int QuickTries = 8;
    public const int OutageTries = 120;
    public static readonly TimeSpan OutageInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan QuickFirst = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan QuickLongest = TimeSpan.FromSeconds(5);

    /// <summary>True when the exception, or one it wraps, is the database (or the way to it) being away.</summary>
    public static bool IsStoreOutage(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true } db && (db.SqlState is null || IsOutageState(db.SqlState)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>SQLSTATE classes of an unreachable or unavailable server: connection exception, operator intervention
    /// (admin or crash shutdown, cannot connect now), insufficient resources, system error.</summary>
    private static bool IsOutageState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("57P", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal) || sqlState.StartsWith("58", StringComparison.Ordinal);

    public bool IsHandled(Exception exception) => filter.Match(exception);

    RetryPolicyContext<T> IRetryPolicy.CreatePolicyContext<T>(T context) => new PolicyContext<T>(this, context);

    void IProbeSite.Probe(ProbeContext context)
    {
        context.Set(new { Policy = "CreditBank consumer retry", QuickTries, OutageTries, OutageInterval });
        filter.Probe(context);
    }

    public override string ToString() => $"CreditBank consumer retry (quick {QuickTries}, outage {OutageTries} × {OutageInterval})";

    private sealed class PolicyContext<T>(ConsumerRetryPolicy policy, T context)
        : BaseRetryPolicyContext<T>(policy, context)
        where T : class, PipeContext
    {
        protected override RetryContext<T> CreateRetryContext(Exception exception, CancellationToken cancellationToken) =>
            Attempt<T>.After(policy, Context, exception, retryCount: 0, quick: 0, outages: 0, cancellationToken);
    }

    /// <summary>The wait before the next try, chosen by what the last try failed on; each kind counts its own tries.</summary>
    private sealed class Attempt<T> : BaseRetryContext<T>, RetryContext<T>
        where T : class, PipeContext
    {
        private readonly ConsumerRetryPolicy _policy;
        private readonly int _quick;
        private readonly int _outages;
        private readonly bool _outage;

        private Attempt(ConsumerRetryPolicy policy, T context, Exception exception, int retryCount, int quick, int outages,
            bool outage, CancellationToken cancellationToken)
            : base(context, exception, retryCount, cancellationToken)
        {
            _policy = policy;
            _quick = quick;
            _outages = outages;
            _outage = outage;
        }

        public static Attempt<T> After(ConsumerRetryPolicy policy, T context, Exception exception, int retryCount, int quick,
            int outages, CancellationToken cancellationToken)
        {
            var outage = IsStoreOutage(exception);
            return new Attempt<T>(policy, context, exception, retryCount, outage ? quick : quick + 1, outage ? outages + 1 : outages,
                outage, cancellationToken);
        }

        public override TimeSpan? Delay => _outage
            ? OutageInterval
            : TimeSpan.FromTicks(Math.Min(QuickLongest.Ticks, QuickFirst.Ticks << Math.Min(_quick - 1, 16)));

        /// <summary>Whether this retry may happen at all: its kind has tries left.</summary>
        public bool Allowed => _outage ? _outages <= OutageTries : _quick <= QuickTries;

        bool RetryContext<T>.CanRetry(Exception exception, out RetryContext<T> retryContext)
        {
            var next = After(_policy, Context, exception, RetryCount + 1, _quick, _outages, CancellationToken);
            retryContext = next;
            return _policy.IsHandled(exception) && next.Allowed && !CancellationToken.IsCancellationRequested;
        }
    }
}
