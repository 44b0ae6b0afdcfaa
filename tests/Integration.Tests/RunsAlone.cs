
namespace CreditBank.Integration.Tests;

/// <summary>
/// Stories that disturb every other one — a broker restart, thousands of outcomes keeping both cores busy — run in
/// this collection: one at a time, after the others, so that the others keep their timing.
/// </summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class RunsAlone;
