using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(CreditBank.Benchmarks.ConversionEvaluation).Assembly).Run(args);
