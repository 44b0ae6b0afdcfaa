using System.Diagnostics;

namespace CreditBank.LoadGenerator.Drill;

/// <summary>One of the repository's shell scripts (scripts/infra.sh, scripts/rabbitmq-cluster.sh) run with a command.</summary>
public sealed record Script(string Path)
{
    /// <summary>scripts/infra.sh as <c>scripts/infra.sh up</c> announced it (<c>CREDITBANK_INFRA_SCRIPT</c>).</summary>
    public static Script Infra => new(Environment.GetEnvironmentVariable("CREDITBANK_INFRA_SCRIPT") is { Length: > 0 } path
        ? path
        : throw new InvalidOperationException("CREDITBANK_INFRA_SCRIPT is not set: run through `make drill` or `make test`, or after `eval \"$(scripts/infra.sh up)\"`."));

    /// <summary>Runs <c>bash {Path} {arguments}</c> and returns what it printed on stdout; throws with its stderr when it fails.</summary>
    public async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"bash {Path} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{System.IO.Path.GetFileName(Path)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {(await stderr).Trim()}");
        }

        return await stdout;
    }
}
