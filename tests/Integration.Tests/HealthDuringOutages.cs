using CreditBank.Grpc;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CreditBank.Integration.Tests;

/// <summary>Health that tells the truth: not ready while the broker is away, ready again soon after, alive throughout.</summary>
[Collection(typeof(RunsAlone))]
public sealed class HealthDuringOutages(DistributedBankHost bank)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_service_reports_not_serving_while_rabbitmq_is_down_stays_alive_and_serves_again_after()
    {
        var ct = TestContext.Current.CancellationToken;
        var services = new[] { ("recognition", bank.Recognition), ("accounts", bank.Accounts), ("conversion", bank.Conversion) };
        foreach (var (_, host) in services)
        {
            await DistributedBankHost.WaitUntilServingAsync(host);
        }

        await RealInfrastructure.StopRabbitMqAsync();
        try
        {
            foreach (var (name, host) in services)
            {
                // Recognition only publishes, and reports the broker all the same.
                await Eventually.Until(() => StatusAsync(host, ""), s => s == ServingStatus.NotServing, Soon, $"{name} to report NOT_SERVING");
                Assert.Equal(ServingStatus.Serving, await StatusAsync(host, ServiceHealth.LivenessService));
                Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, (await host.Rest.GetAsync("/health/ready", ct)).StatusCode);
                Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Rest.GetAsync("/health/live", ct)).StatusCode);
            }
        }
        finally
        {
            await RealInfrastructure.StartRabbitMqAsync();
        }

        foreach (var (name, host) in services)
        {
            await Eventually.Until(() => StatusAsync(host, ""), s => s == ServingStatus.Serving, Soon, $"{name} to report SERVING again");
            Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Rest.GetAsync("/health/ready", ct)).StatusCode);
        }
    }

    private static async Task<ServingStatus> StatusAsync(ServiceHost host, string service) =>
        (await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest { Service = service })).Status;
}

/// <summary>A clean start says nothing alarming: migrations, then the bus, then SERVING.</summary>
public sealed class CleanStart(DistributedBankHost bank)
{
    [Fact]
    public void Services_started_on_new_databases_log_no_error_before_they_serve()
    {
        Assert.Contains(bank.StartLog, line => line.Contains("is up to date", StringComparison.Ordinal));
        var alarming = bank.StartLog.Where(line => line.StartsWith("Error ", StringComparison.Ordinal) || line.StartsWith("Critical ", StringComparison.Ordinal)).ToList();
        Assert.True(alarming.Count == 0, string.Join(Environment.NewLine, alarming));
    }
}
