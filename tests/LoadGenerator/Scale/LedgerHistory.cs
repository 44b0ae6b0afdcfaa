using System.Buffers.Binary;
using CreditBank.PersonalData;
using Microsoft.Extensions.Options;

namespace CreditBank.LoadGenerator.Scale;

/// <summary>
/// Makes the generated bank's history chunk by chunk, as the accounts service would have written it: an account opens
/// with its learner's first deposit; every entry takes the next sequence; now and then an earlier deposit is reversed
/// (冲正). The same seed and end time make the same bank (only the sealed numbers' nonces differ).
/// </summary>
/// <remarks>
/// Within a chunk the entries are dealt round-robin — every account's first entry, then every second one … — so that
/// one account's entries lie apart in the table, as they do after years of postings, while every id still grows with
/// the posting clock and the indexes are appended to at their right-hand end.
/// </remarks>
internal sealed class LedgerHistory
{
    private const int FewestEntries = 10;
    private const int MostEntries = 200;
    private const double ReversalShare = 0.02;
    public const int Deposit = 1;
    public const int Reversal = 2;
    private static readonly TimeSpan Span = TimeSpan.FromDays(3 * 365);

    private readonly BankData _bank;
    private readonly Random _random;
    private readonly LedgerWording _lines;
    private readonly DocumentProtector _documents;
    private readonly long _firstPostedMs;
    private readonly long _stepMs;
    private readonly int _sampleEvery;
    private readonly List<GeneratedAccount> _sample = [];
    private long _posted;
    private int _made;

    // Per account of the chunk being made, reused from chunk to chunk.
    private int[] _counts = [];
    private long[] _heldCents = []; // per account, OutcomeKinds cents: what its holdings show for each kind
    private Guid[] _ids = [];
    private long[] _openedMs = [];
    private int[] _firstLines = [];
    private List<int>[] _unreversed = [];

    public LedgerHistory(BankData bank, DateTimeOffset until)
    {
        _bank = bank;
        _random = new Random(bank.Seed);
        _lines = new LedgerWording(new Random(bank.Seed));
        _documents = new DocumentProtector(Options.Create(bank.DocumentProtection));
        // One posting per millisecond at least, so that no two entries share an id's timestamp.
        _stepMs = Math.Max(1, (long)Span.TotalMilliseconds / bank.LedgerEntries);
        _firstPostedMs = until.ToUnixTimeMilliseconds() - _stepMs * (bank.LedgerEntries + 1);
        _sampleEvery = Math.Max(1, bank.Accounts / Math.Max(1, bank.SampleSize));
    }

    public bool HasMore => _made < _bank.Accounts;

    public long Reversals { get; private set; }

    public IReadOnlyList<GeneratedAccount> Sample => _sample;

    /// <summary>Fills <paramref name="chunk"/> with the next accounts and every one of their ledger entries.</summary>
    public void Fill(BankChunk chunk)
    {
        chunk.Clear();
        var first = _made;
        var size = Math.Min(_bank.AccountsPerChunk, _bank.Accounts - first);
        Prepare(size);
        var rounds = DrawEntryCounts(size, EntriesBefore(first + size) - EntriesBefore(first));
        for (var sequence = 1; sequence <= rounds; sequence++)
        {
            for (var a = 0; a < size; a++)
            {
                if (_counts[a] >= sequence)
                {
                    chunk.Entries.Add(Post(chunk, a, sequence));
                }
            }
        }

        for (var a = 0; a < size; a++)
        {
            var learner = _bank.FirstLearner + first + a;
            if (!IdentityDocument.TryParse(DocumentType.ResidentIdCard, Learners.DocumentNumber(learner), out var document, out var problem))
            {
                throw new InvalidOperationException($"Learner {learner} has no valid document number: {problem}");
            }

            var protectedDocument = _documents.Protect(document!);
            var held = _heldCents.AsSpan(a * BankChunk.OutcomeKinds, BankChunk.OutcomeKinds);
            chunk.Accounts.Add(new AccountRow(_ids[a], learner, protectedDocument.Hash, protectedDocument.Masked, protectedDocument.Sealed,
                Learners.Name(learner), DateTime.UnixEpoch.AddMilliseconds(_openedMs[a]), _lines.Actor(_firstLines[a]), _counts[a]));
            chunk.HeldCents.AddRange(held);
            if ((first + a) % _sampleEvery == 0 && _sample.Count < _bank.SampleSize)
            {
                _sample.Add(new GeneratedAccount(_ids[a], learner, _counts[a], Sum(held) / 100m));
            }
        }

        _made += size;
    }

    public string Actor(in EntryRow entry) => _lines.Actor(entry.Line);

    public int OutcomeKind(in EntryRow entry) => _lines.OutcomeKind(entry.Line);

    public string Description(in EntryRow entry) => entry.Kind == Deposit
        ? _lines.DepositDescription(entry.Line)
        : _lines.ReversalDescription(entry.Line, entry.Reason);

    private EntryRow Post(BankChunk chunk, int account, int sequence)
    {
        var postedMs = _firstPostedMs + _stepMs * ++_posted;
        var postedAt = DateTime.UnixEpoch.AddMilliseconds(postedMs);
        var unreversed = _unreversed[account];
        if (sequence == 1)
        {
            _ids[account] = TimeOrdered(postedMs);
            _openedMs[account] = postedMs;
        }
        else if (unreversed.Count > 0 && _random.NextDouble() < ReversalShare)
        {
            var pick = _random.Next(unreversed.Count);
            var deposit = chunk.Entries[unreversed[pick]];
            unreversed[pick] = unreversed[^1];
            unreversed.RemoveAt(unreversed.Count - 1);
            _heldCents[Held(account, deposit.Line)] -= deposit.Cents;
            Reversals++;
            return new EntryRow(TimeOrdered(postedMs), account, sequence, Reversal, -deposit.Cents, deposit.OutcomeId, deposit.Line,
                _random.Next(LedgerWording.Reasons), TimeOrdered(postedMs), postedAt);
        }

        var line = _random.Next(_lines.Count);
        var cents = Cents();
        if (sequence == 1)
        {
            _firstLines[account] = line;
        }

        unreversed.Add(chunk.Entries.Count);
        _heldCents[Held(account, line)] += cents;
        return new EntryRow(TimeOrdered(postedMs), account, sequence, Deposit, cents, TimeOrdered(postedMs), line, 0, TimeOrdered(postedMs), postedAt);
    }

    /// <summary>
    /// 10 to 200 entries an account, most near the low end and a few long ledgers, adding up to exactly
    /// <paramref name="entries"/> over the chunk. Returns the most any account got.
    /// </summary>
    private int DrawEntryCounts(int size, long entries)
    {
        var extraMean = (double)entries / size - FewestEntries;
        long drawn = 0;
        for (var a = 0; a < size; a++)
        {
            // Log-normal with mean 1 (σ = 1): median about 0.6, one account in a few thousand at the cap.
            var normal = Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
            var extra = extraMean * Math.Exp(normal - 0.5);
            _counts[a] = (int)Math.Clamp(FewestEntries + Math.Round(extra), FewestEntries, MostEntries);
            drawn += _counts[a];
        }

        for (var missing = entries - drawn; missing != 0;)
        {
            var a = _random.Next(size);
            if (missing > 0 && _counts[a] < MostEntries)
            {
                _counts[a]++;
                missing--;
            }
            else if (missing < 0 && _counts[a] > FewestEntries)
            {
                _counts[a]--;
                missing++;
            }
        }

        return Max(_counts.AsSpan(0, size));
    }

    private static long Sum(ReadOnlySpan<long> values)
    {
        var sum = 0L;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum;
    }

    private static int Max(ReadOnlySpan<int> values)
    {
        var max = 0;
        foreach (var value in values)
        {
            max = Math.Max(max, value);
        }

        return max;
    }

    /// <summary>Where an account's cents of the outcome kind of <paramref name="line"/> are counted.</summary>
    private int Held(int account, int line) => account * BankChunk.OutcomeKinds + _lines.OutcomeKind(line) - 1;

    /// <summary>How many of the bank's entries belong to the accounts before the <paramref name="account"/>th.</summary>
    private long EntriesBefore(int account) => (long)((Int128)_bank.LedgerEntries * account / _bank.Accounts);

    /// <summary>0.5 to 8 credits: mostly in half credits, sometimes an odd amount (hours converted at a rate).</summary>
    private int Cents() => _random.Next(10) < 8
        ? 50 * (1 + _random.Next(8) + _random.Next(8) * _random.Next(2))
        : _random.Next(50, 801);

    /// <summary>A version 7 UUID for the given time whose random part comes from the seeded generator.</summary>
    private Guid TimeOrdered(long unixMs)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, unixMs << 16 | 0x7000 | (long)_random.Next(0x1000));
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], (_random.NextInt64() & 0x3FFF_FFFF_FFFF_FFFF) | long.MinValue);
        return new Guid(bytes, bigEndian: true);
    }

    private void Prepare(int size)
    {
        if (_counts.Length < size)
        {
            _counts = new int[size];
            _heldCents = new long[size * BankChunk.OutcomeKinds];
            _ids = new Guid[size];
            _openedMs = new long[size];
            _firstLines = new int[size];
            _unreversed = [.. Enumerable.Range(0, size).Select(_ => new List<int>())];
        }

        Array.Clear(_heldCents);
        foreach (var list in _unreversed)
        {
            list.Clear();
        }
    }
}
