using CreditBank.Credentials.Domain;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Credentials.Data;

/// <summary>
/// Gives out status-list indexes and sets bits, inside the caller's transaction. Every change writes the list's row
/// under its version (an optimistic concurrency token), so two consumers that touch one list at once serialise: one
/// commits, the other's transaction fails and is retried from scratch.
/// </summary>
internal sealed class StatusLists(CredentialsDb db, CredentialsOptions options, TimeProvider time)
{
    private readonly Dictionary<int, StatusListRecord> _loaded = [];

    /// <summary>A random unused index in the newest list with room, opening a new list when it is full.</summary>
    public async Task<StatusEntry> AllocateAsync(CancellationToken ct)
    {
        var list = await OpenListAsync(ct);
        var index = StatusBits.PickUnused(list.Used, list.Size);
        if (index < 0)
        {
            list = await NewListAsync(list.Id + 1);
            index = StatusBits.PickUnused(list.Used, list.Size);
        }

        list.Used = StatusBits.With(list.Used, index);
        list.Allocated++;
        Touch(list);
        return new StatusEntry(list.Id, index);
    }

    /// <summary>Sets the bit (revoked); false when it was set already — a second revocation changes nothing.</summary>
    public async Task<bool> SetAsync(StatusEntry entry, CancellationToken ct)
    {
        var list = await ListAsync(entry.ListId, ct);
        if (StatusBits.Get(list.RevokedBits, entry.Index))
        {
            return false;
        }

        list.RevokedBits = StatusBits.With(list.RevokedBits, entry.Index);
        Touch(list);
        return true;
    }

    private void Touch(StatusListRecord list)
    {
        list.Version++;
        list.UpdatedAt = time.GetUtcNow();
    }

    private async Task<StatusListRecord> OpenListAsync(CancellationToken ct)
    {
        var open = _loaded.Values.Where(l => l.Allocated < l.Size).OrderByDescending(l => l.Id).FirstOrDefault();
        if (open is not null)
        {
            return open;
        }

        var newest = await db.StatusLists.OrderByDescending(l => l.Id).Select(l => (int?)l.Id).FirstOrDefaultAsync(ct);
        if (newest is null)
        {
            return await NewListAsync(1);
        }

        var list = await ListAsync(newest.Value, ct);
        return list.Allocated < list.Size ? list : await NewListAsync(list.Id + 1);
    }

    private async Task<StatusListRecord> ListAsync(int id, CancellationToken ct)
    {
        if (!_loaded.TryGetValue(id, out var list))
        {
            list = await db.StatusLists.FirstAsync(l => l.Id == id, ct);
            _loaded[id] = list;
        }

        return list;
    }

    /// <summary>A new list; two consumers that open the same one at once collide on its key, and one retries.</summary>
    private Task<StatusListRecord> NewListAsync(int id)
    {
        var size = Math.Max(options.StatusListSize, CredentialsOptions.MinStatusListSize);
        var list = new StatusListRecord
        {
            Id = id,
            Purpose = "revocation",
            Size = size,
            Used = StatusBits.Empty(size),
            RevokedBits = StatusBits.Empty(size),
            UpdatedAt = time.GetUtcNow(),
        };
        db.StatusLists.Add(list);
        _loaded[id] = list;
        return Task.FromResult(list);
    }
}
