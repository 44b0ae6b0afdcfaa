namespace CreditBank.TestSupport;

/// <summary>
/// The orders a fact's three events can arrive in — R (recognised), V (revoked), C (converted) — each with and without
/// redeliveries, for consumers that must reach the same state in any of them.
/// </summary>
public static class EventOrders
{
    public static readonly string[] Permutations = ["RVC", "RCV", "VRC", "VCR", "CRV", "CVR"];

    /// <summary>Every permutation, once delivered as is and once followed by its reverse (every event twice).</summary>
    public static IEnumerable<object[]> All() =>
        Permutations.SelectMany(order => new[] { new object[] { order, false }, [order, true] });

    /// <summary>The steps to deliver: the order, and when redelivered, the order and then its reverse.</summary>
    public static string Sequence(string order, bool redelivered) =>
        redelivered ? order + new string(order.Reverse().ToArray()) : order;

    /// <summary>A number distinct per case, to derive a learner of its own from.</summary>
    public static int Case(string order, bool redelivered) => Array.IndexOf(Permutations, order) * 2 + (redelivered ? 1 : 0);
}
