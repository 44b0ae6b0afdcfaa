using CreditBank.LoadGenerator;
using CreditBank.LoadGenerator.Baselines;
using CreditBank.LoadGenerator.Drill;
using CreditBank.LoadGenerator.Smoke;

// make bench:  CreditBank.LoadGenerator bench --repository . --size full --hot-paths <BenchmarkDotNet results> --out docs/benchmarks.md
// make drill:  CreditBank.LoadGenerator drill --repository . --size full --out docs/reliability.md
// baseline:    CreditBank.LoadGenerator serve-empty --port 6501   (started by bench itself)
// make k8s-smoke: CreditBank.LoadGenerator main-story --identity URL --recognition-grpc URL --accounts URL --accounts-grpc URL --conversion-grpc URL
var verb = args.FirstOrDefault();
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
switch (verb)
{
    case "serve-empty":
        await EmptyCall.ServeAsync(int.Parse(Option("--port") ?? "6501", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    case "main-story":
        await MainStory.RunAsync(DeployedBank.FromOptions(Option),
            TimeSpan.FromSeconds(int.Parse(Option("--timeout") ?? "120", System.Globalization.CultureInfo.InvariantCulture)));
        return 0;
    case "bench":
        var repository = Path.GetFullPath(Option("--repository") ?? ".");
        return await Bench.RunAsync(
            repository,
            BenchSizes.Named(Option("--size") ?? "full"),
            Option("--hot-paths"),
            Path.GetFullPath(Option("--out") ?? Path.Combine(repository, "docs", "benchmarks.md")),
            Option("--work") ?? Path.Combine(Path.GetTempPath(), $"creditbank-bench-{Environment.ProcessId}"),
            (Option("--only") ?? "baselines,batch,feed,submits,reads,scale,credentials,portal").Split(','));
    case "drill":
        var root = Path.GetFullPath(Option("--repository") ?? ".");
        return await ReliabilityDrill.RunAsync(
            root,
            DrillSizes.Named(Option("--size") ?? "full"),
            Path.GetFullPath(Option("--out") ?? Path.Combine(root, "docs", "reliability.md")),
            Option("--work") ?? Path.Combine(Path.GetTempPath(), $"creditbank-drill-{Environment.ProcessId}"),
            (Option("--only") ?? "accounts,recognition,conversion,identity,rabbitmq,redis,postgres,cluster").Split(','));
    default:
        Console.Error.WriteLine("usage: CreditBank.LoadGenerator bench [--repository DIR] [--size full|quick] [--hot-paths DIR] [--out FILE] [--work DIR]");
        Console.Error.WriteLine("       [--only baselines,batch,feed,submits,reads,scale,credentials,portal]   (a part of the run, for working on one figure)");
        Console.Error.WriteLine("       CreditBank.LoadGenerator drill [--repository DIR] [--size full|quick] [--out FILE] [--work DIR]");
        Console.Error.WriteLine("       [--only accounts,recognition,conversion,identity,rabbitmq,redis,postgres,cluster]");
        Console.Error.WriteLine("       CreditBank.LoadGenerator serve-empty --port N");
        Console.Error.WriteLine("       CreditBank.LoadGenerator main-story --identity URL --recognition-grpc URL --accounts URL --accounts-grpc URL --conversion-grpc URL [--timeout S]");
        return 2;
}
