using System.Diagnostics;

namespace CreditBank.Integration.Tests;

/// <summary>
/// The throwaway RabbitMQ, PostgreSQL and Redis that <c>scripts/infra.sh up</c> started (<c>make test</c> does it).
/// Missing settings fail the tests: they are never skipped silently.
/// </summary>
public static class RealInfrastructure
{
    public static string Postgres => Require("CREDITBANK_TEST_POSTGRES");

    public static string RabbitMq => Require("CREDITBANK_TEST_RABBITMQ");

    public static string Redis => Require("CREDITBANK_TEST_REDIS");

    /// <summary>Stops the broker (clients lose their connections; the AMQP port refuses) — durable queues survive.</summary>
    public static Task StopRabbitMqAsync() => RunScriptAsync("rabbitmq-stop");

    public static Task StartRabbitMqAsync() => RunScriptAsync("rabbitmq-start");

    private static async Task RunScriptAsync(string command)
    {
        var script = Require("CREDITBANK_INFRA_SCRIPT");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra.sh {command} failed ({process.ExitCode}): {await stderr}");
        }
    }

    private static string Require(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            $"{name} is not set. The integration tests run against real RabbitMQ, PostgreSQL and Redis: run them with `make test`, " +
            "or start the services with `eval \"$(scripts/infra.sh up)\"` first.");
}
