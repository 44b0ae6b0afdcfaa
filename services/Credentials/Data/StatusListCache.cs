using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using CreditBank.Credentials.Domain;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Credentials.Data;

/// <summary>
/// Each status list as served: its signed credential (VC-JWT), ETag and bits, kept per replica and checked against the
/// database at most every <see cref="CredentialsOptions.StatusListRefresh"/> — at once after a revocation in this
/// process. Serving is a dictionary lookup; the list is signed again only when its version changed.
/// </summary>
public sealed class StatusListCache(IServiceScopeFactory scopes, CredentialsOptions options, CredentialFactory factory, TimeProvider time)
{
    private readonly ConcurrentDictionary<int, Served> _lists = new();
    private readonly ConcurrentDictionary<int, SemaphoreSlim> _refreshing = new();

    /// <summary>A list's signed credential as served now; null when the bank has no such list.</summary>
    public async ValueTask<Served?> GetAsync(int listId, CancellationToken ct)
    {
        var now = time.GetTimestamp();
        if (_lists.TryGetValue(listId, out var served) && time.GetElapsedTime(served.CheckedAt, now) < options.StatusListRefresh)
        {
            return served;
        }

        var gate = _refreshing.GetOrAdd(listId, _ => new SemaphoreSlim(1, 1));
        if (served is not null && !await gate.WaitAsync(0, ct))
        {
            // Another request is reading it again: serve what we have, which is at most a refresh interval old.
            return served;
        }

        if (served is null)
        {
            await gate.WaitAsync(ct);
        }

        try
        {
            if (_lists.TryGetValue(listId, out var current) && !ReferenceEquals(current, served) && time.GetElapsedTime(current.CheckedAt) < options.StatusListRefresh)
            {
                return current;
            }

            return await LoadAsync(listId, served, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The current revoked bits of the list a credential's entry names (by URL), for the bank's own verifier.</summary>
    public async ValueTask<byte[]?> BitsAsync(string listUrl, CancellationToken ct)
    {
        var prefix = options.StatusListUrl(0)[..^1];
        return listUrl.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(listUrl.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && await GetAsync(id, ct) is { } served
                ? served.Bits
                : null;
    }

    /// <summary>Makes the next request read the list again (after this process changed it).</summary>
    public void Invalidate(int listId)
    {
        if (_lists.TryGetValue(listId, out var served))
        {
            _lists.TryUpdate(listId, served with { CheckedAt = 0 }, served);
        }
    }

    private async Task<Served?> LoadAsync(int listId, Served? served, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CredentialsDb>();
        var version = await db.StatusLists.AsNoTracking().Where(l => l.Id == listId).Select(l => (int?)l.Version).FirstOrDefaultAsync(ct);
        if (version is null)
        {
            return null;
        }

        if (served is not null && served.Version == version)
        {
            var still = served with { CheckedAt = time.GetTimestamp() };
            _lists[listId] = still;
            return still;
        }

        var list = await db.StatusLists.AsNoTracking().Where(l => l.Id == listId)
            .Select(l => new { l.Version, l.RevokedBits, l.UpdatedAt }).FirstAsync(ct);
        var jwt = Encoding.ASCII.GetBytes(factory.SignStatusList(listId, list.RevokedBits, list.UpdatedAt));
        var fresh = new Served(list.Version, jwt, $"\"{listId}-{list.Version}\"", list.RevokedBits, list.UpdatedAt, time.GetTimestamp());
        _lists[listId] = fresh;
        return fresh;
    }

    /// <summary>A list as served: its version, the signed credential's bytes, the ETag, the bits, when it changed and when it was last checked.</summary>
    public sealed record Served(int Version, byte[] Jwt, string ETag, byte[] Bits, DateTimeOffset UpdatedAt, long CheckedAt);
}
