using System.Text.Json;

namespace CreditBank.LoadGenerator.Report;

/// <summary>One BenchmarkDotNet case as its JSON exporter wrote it.</summary>
public sealed record HotPath(string Benchmark, string Parameters, double MedianNanoseconds, double MeanNanoseconds, double? AllocatedBytes);

/// <summary>Reads what <c>tests/Benchmarks</c> (BenchmarkDotNet, <c>--exporters json</c>) wrote into its results folder.</summary>
public static class HotPathResults
{
    public static IReadOnlyList<HotPath> Read(string? resultsFolder)
    {
        if (resultsFolder is null || !Directory.Exists(resultsFolder))
        {
            return [];
        }

        var found = new List<HotPath>();
        foreach (var file in Directory.EnumerateFiles(resultsFolder, "*.json").Order())
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            if (!document.RootElement.TryGetProperty("Benchmarks", out var benchmarks))
            {
                continue;
            }

            foreach (var benchmark in benchmarks.EnumerateArray())
            {
                if (!benchmark.TryGetProperty("Statistics", out var statistics) || statistics.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                double? allocated = benchmark.TryGetProperty("Memory", out var memory) && memory.TryGetProperty("BytesAllocatedPerOperation", out var bytes)
                    ? bytes.GetDouble()
                    : null;
                found.Add(new HotPath(
                    $"{benchmark.GetProperty("Type").GetString()}.{benchmark.GetProperty("Method").GetString()}",
                    benchmark.TryGetProperty("Parameters", out var parameters) ? parameters.GetString() ?? string.Empty : string.Empty,
                    statistics.GetProperty("Median").GetDouble(),
                    statistics.GetProperty("Mean").GetDouble(),
                    allocated));
            }
        }

        return found;
    }
}
