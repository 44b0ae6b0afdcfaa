using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using CreditBank.Credentials;
using CreditBank.Credentials.Domain;

namespace CreditBank.Benchmarks;

/// <summary>
/// Issue target: a 100-outcome transcript (CLR 2.0) issued with p99 ≤ 20 ms. Each outcome's OB 3.0 credential is issued
/// once and kept, so a transcript embeds 100 kept VC-JWTs and signs only itself (<see cref="IssueTranscript"/>: the
/// service's own work per transcript, without the database read of the kept credentials); issuing the 100 outcome
/// credentials is paid once per outcome (<see cref="IssueOutcomeCredentials"/>). A transcript is kept as its envelope and
/// signature and built again when fetched by id (<see cref="RebuildTranscript"/>). And the signing of one 131,072-entry
/// status list, which every revocation costs.
/// </summary>
[MemoryDiagnoser]
public class CredentialIssuing
{
    private CredentialFactory _factory = null!;
    private OutcomeStatement[] _outcomes = [];
    private KeptCredential[] _kept = [];
    private byte[] _revoked = [];
    private KeptTranscript _transcript = null!;
    private readonly Holder _holder = new("RESIDENT_ID_CARD", "500228200501011237");
    private readonly DateTimeOffset _now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Params(100)]
    public int Outcomes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new CredentialsOptions { PublicBaseUrl = "https://credentials.creditbank.example" };
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signing = IssuerKey.From(key.ExportParameters(includePrivateParameters: true), options.KeyUrl, publicOnly: false);
        _factory = new CredentialFactory(options, new IssuerKeyRing(signing, []));
        var random = new Random(42);
        _outcomes = [.. Enumerable.Range(0, Outcomes).Select(i => new OutcomeStatement
        {
            OutcomeId = Guid.NewGuid(),
            InstitutionCode = "4150012608",
            Kind = i % 3 == 0 ? "SKILL_CERTIFICATE" : "COURSE",
            Title = i % 3 == 0 ? $"Web 前端开发职业技能等级证书 {i}" : $"高等数学 {i}",
            Credits = 2 + i % 4,
            UnitCode = i % 3 == 0 ? $"U{i:D4}" : null,
            UnitVersion = i % 3 == 0 ? 1 : null,
            UnitDefinitionSha256 = i % 3 == 0 ? Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i))) : null,
            FrameworkLevel = 4 + i % 3,
            CourseCode = i % 3 == 0 ? null : $"K{i:D3}",
            GradeScheme = i % 3 == 0 ? null : "PERCENTAGE",
            GradeValue = i % 3 == 0 ? null : (60 + i % 40).ToString(System.Globalization.CultureInfo.InvariantCulture),
            AchievedOn = new DateOnly(2025, 6, 30),
            RecognisedAt = _now.AddDays(-i),
            Status = new StatusEntry(0, random.Next(CredentialsOptions.MinStatusListSize)),
        })];
        _kept = [.. IssueOutcomeCredentials()];
        _transcript = IssueTranscript().Kept;
        _revoked = new byte[CredentialsOptions.MinStatusListSize / 8];
        for (var i = 0; i < 500; i++)
        {
            _revoked[random.Next(_revoked.Length)] |= (byte)(1 << random.Next(8));
        }
    }

    [Benchmark]
    public SignedTranscript IssueTranscript() => _factory.IssueTranscript(_kept, _outcomes, [], _holder, _now);

    [Benchmark]
    public List<KeptCredential> IssueOutcomeCredentials() =>
        [.. _outcomes.Select(o => _factory.IssueOutcome(o, _holder, _now)).Select(c => new KeptCredential(c.Id, c.Jwt))];

    [Benchmark]
    public string RebuildTranscript() => CredentialFactory.RebuildTranscript(_transcript, _kept);

    [Benchmark]
    public string SignStatusList() => _factory.SignStatusList(0, _revoked, _now);
}
