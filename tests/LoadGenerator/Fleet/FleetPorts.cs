using System.Globalization;

namespace CreditBank.LoadGenerator.Fleet;

/// <summary>Where each service of a <see cref="DistributedBank"/> listens: REST on its port, gRPC on the next one.</summary>
/// <param name="Credentials">The credentials service, started only by the parts that use it (<see cref="DistributedBank.StartCredentialsAsync"/>).</param>
/// <param name="Portal">The portal, started only by the part that uses it (<see cref="DistributedBank.StartPortalAsync"/>).</param>
public sealed record FleetPorts(int Identity, int Recognition, int Accounts, int Conversion, int Credentials, int Portal)
{
    /// <summary>make bench's ports.</summary>
    public static FleetPorts Bench { get; } = new(6301, 6101, 6201, 6401, 6601, 6701);

    /// <summary>Twelve ports from <paramref name="first"/> on: identity, recognition, accounts, conversion, credentials, portal, two each.</summary>
    public static FleetPorts From(int first) => new(first, first + 2, first + 4, first + 6, first + 8, first + 10);

    /// <summary>
    /// <c>CREDITBANK_FLEET_PORT</c> if set; otherwise the twelve ports 100 above the RabbitMQ port of
    /// <paramref name="rabbitMqUri"/>: two runs on one machine use different brokers (scripts/infra.sh), so they get
    /// different fleets too, in the range the broker's owner was given.
    /// </summary>
    public static FleetPorts ForBroker(string rabbitMqUri) =>
        From(Environment.GetEnvironmentVariable("CREDITBANK_FLEET_PORT") is { Length: > 0 } first
            ? int.Parse(first, CultureInfo.InvariantCulture)
            : new Uri(rabbitMqUri).Port + 100);
}
