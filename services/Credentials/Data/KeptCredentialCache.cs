using CreditBank.Credentials.Domain;
using Microsoft.Extensions.Caching.Memory;

namespace CreditBank.Credentials.Data;

/// <summary>
/// The kept credentials of outcomes and exemptions, in memory after their first read: a kept credential never changes
/// (its revocation is its status bit, not a new credential), so every replica may keep its own copy, and a transcript
/// reads from the database only which outcomes the learner has. Without it each 100-outcome transcript read its 100
/// credentials (~700 KB) back from the database: about half of PostgreSQL's ~10 ms per transcript in make bench's
/// credentials part (docs/performance.md, "Credentials").
/// </summary>
/// <remarks>
/// Bounded by bytes (<see cref="CredentialsOptions.KeptCredentialCacheBytes"/>, 64 MB by default: about 5,000 outcome
/// credentials of ~12 KB each with their embedded form, so some fifty 100-outcome learners at once); the least recently
/// used go first when it is full. Only kept credentials are put here: a credential that lost the race to be kept and
/// is forgotten never is.
/// </remarks>
internal sealed class KeptCredentialCache(CredentialsOptions options) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = options.KeptCredentialCacheBytes, CompactionPercentage = 0.25 });

    public bool TryGet(Guid id, out CachedCredential credential) => _cache.TryGetValue(id, out credential!);

    public CachedCredential Add(IssuedCredentialRecord record)
    {
        var credential = new CachedCredential(record, new KeptCredential(record.Id, record.Jwt));
        _ = credential.Kept.Embedded;
        _cache.Set(record.Id, credential, new MemoryCacheEntryOptions { Size = credential.Kept.Size + 512 });
        return credential;
    }

    public void Dispose() => _cache.Dispose();
}

/// <summary>A kept credential as saved (who it is about, what it states) and as a transcript embeds it.</summary>
internal sealed record CachedCredential(IssuedCredentialRecord Record, KeptCredential Kept);
