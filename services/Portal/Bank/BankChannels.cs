using System.Collections.Concurrent;
using Grpc.Net.Client;

namespace CreditBank.Portal.Bank;

/// <summary>One gRPC channel (one HTTP/2 connection pool) per service address, shared by every request of the portal.</summary>
internal sealed class BankChannels(PortalOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new();

    public GrpcChannel Identity => For(options.Identity);

    public GrpcChannel Recognition => For(options.Recognition);

    public GrpcChannel Accounts => For(options.Accounts);

    public GrpcChannel Conversion => For(options.Conversion);

    public GrpcChannel Credentials => For(options.Credentials);

    private GrpcChannel For(string address) => _channels.GetOrAdd(address, a => GrpcChannel.ForAddress(a, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) },
    }));

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }
}
