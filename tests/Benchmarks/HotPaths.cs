using BenchmarkDotNet.Attributes;
using CreditBank.Accounts.Domain;
using CreditBank.Contracts.Type.V1;
using CreditBank.PersonalData;
using CreditBank.Recognition.Batches;

namespace CreditBank.Benchmarks;

/// <summary>居民身份证 validation: normalising, the birth date and the ISO 7064 MOD 11-2 check character.</summary>
[MemoryDiagnoser]
public class IdNumberValidation
{
    private readonly string[] _numbers = ["500228200501011237", "５００２２８２００５０１０１１２３７", "510104199903150029", "500228200501011236"];

    [Benchmark(OperationsPerInvoke = 4)]
    public int Validate()
    {
        var valid = 0;
        foreach (var number in _numbers)
        {
            valid += IdentityDocument.TryParse(DocumentType.ResidentIdCard, number, out _, out _) ? 1 : 0;
        }

        return valid;
    }
}

/// <summary>One batch CSV line's cells (as the CSV reader gives them) turned into a BatchLine with its problems.</summary>
[MemoryDiagnoser]
public class CsvLineParsing
{
    private const string Header = "kind,document_number,name,course_code,title,credits,hours,term,grade_scheme,grade,certificate_name,level,certificate_number,issue_date";
    private readonly Dictionary<string, int> _columns = Header.Split(',').Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);

    private readonly string[] _cells = ["COURSE", "500228200501011237", "张三", "CS201", "计算机网络, 基础", "3", "48", "2025-2026-2", "FIVE_LEVEL", "优", "", "", "", ""];

    [Benchmark]
    public object Parse() => CsvLine.Parse(_cells, _columns);
}

/// <summary>
/// Balances by outcome kind: shown from an account's holdings (what every uncached GetAccount does), and derived again
/// from its ledger entries one by one (what each append does to the holdings, and what checking them against the ledger costs).
/// </summary>
[MemoryDiagnoser]
public class BalanceDerivation
{
    private Account _account = null!;
    private LedgerEntry[] _entries = [];

    [Params(10, 200)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _account = new Account
        {
            Id = Guid.NewGuid(), DocumentType = DocumentType.ResidentIdCard, DocumentHash = "h", DocumentMasked = "m", DocumentSealed = "s",
            Name = "张三", OpenedBy = "system",
        };
        var at = DateTimeOffset.UtcNow;
        _entries = Enumerable.Range(0, Entries)
            .Select(i => _account.Append(i % 20 == 19 ? LedgerEntryKind.Conversion : LedgerEntryKind.Deposit, 1m + i % 4, Guid.NewGuid(),
                (OutcomeKind)(1 + i % 7), "存入", "institution:1", Guid.NewGuid(), at))
            .ToArray();
    }

    [Benchmark]
    public int FromHoldings() => _account.Holdings.Balances.Count;

    [Benchmark]
    public decimal FromLedger() => Holdings.Replay(_entries).Banked;
}

/// <summary>
/// A 居民身份证 made storable, as every submitted line is: its keyed hash (HMAC-SHA256), its masked form and its sealed
/// copy (AES-256-GCM).
/// </summary>
[MemoryDiagnoser]
public class DocumentProtection
{
    private readonly DocumentProtector _protector = new(Microsoft.Extensions.Options.Options.Create(new DocumentProtectionOptions
    {
        HashKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        SealKey = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray()),
    }));

    private readonly IdentityDocument _document = IdentityDocument.TryParse(DocumentType.ResidentIdCard, "500228200501011237", out var document, out _)
        ? document!
        : throw new InvalidOperationException("The sample number is valid.");

    [Benchmark]
    public ProtectedDocument Protect() => _protector.Protect(_document);
}
