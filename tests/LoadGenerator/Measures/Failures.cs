using Grpc.Core;

namespace CreditBank.LoadGenerator.Measures;

/// <summary>The calls of a run that failed: how many, and the first one's reason.</summary>
internal sealed class Failures
{
    private long _count;
    private string? _first;

    public long Count => Interlocked.Read(ref _count);

    public string? First => Volatile.Read(ref _first);

    /// <summary>Awaits the call: false, and counted, when it failed as a call does (an RPC's status, an HTTP error).</summary>
    public async Task<bool> SucceededAsync(Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (RpcException e)
        {
            Note($"{e.StatusCode}: {e.Status.Detail}");
        }
        catch (HttpRequestException e)
        {
            Note($"HTTP {(int?)e.StatusCode}: {e.Message}");
        }

        return false;
    }

    private void Note(string reason)
    {
        Interlocked.Increment(ref _count);
        Interlocked.CompareExchange(ref _first, reason, null);
    }
}
