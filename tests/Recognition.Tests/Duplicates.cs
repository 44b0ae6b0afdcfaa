using CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Tests;

/// <summary>去重: one outcome however often it is sent, under whatever request_id.</summary>
public sealed class Duplicates(RecognitionHost bank) : IClassFixture<RecognitionHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_same_certificate_number_from_the_same_issuer_is_one_outcome()
    {
        var first = Requests.Certificate(documentNumber: Requests.ResidentId(701));
        var again = first.Clone();
        again.RequestId = Guid.NewGuid().ToString();
        again.SkillCertificate.CertificateNumber = " " + first.SkillCertificate.CertificateNumber.ToLowerInvariant() + " ";

        var a = await bank.Client.SubmitOutcomeAsync(first, cancellationToken: _ct);
        var b = await bank.Client.SubmitOutcomeAsync(again, cancellationToken: _ct);

        Assert.False(a.Duplicate);
        Assert.True(b.Duplicate);
        Assert.Equal(a.OutcomeId, b.OutcomeId);
        Assert.Contains("Already held", b.StatusReason);
        await Eventually.Until(() => Task.FromResult(bank.RecognisedAs(a.OutcomeId).Count), n => n > 0,
            what: "OutcomeRecognised from the outbox");
        await Task.Delay(600, _ct); // several more relay rounds: nothing else may follow
        Assert.Single(bank.RecognisedAs(a.OutcomeId));
    }

    [Theory]
    [InlineData("数据结构与算法（上）", "数据结构 与 算法(上)")]
    [InlineData("数据结构与算法（上）", "数据结构与算法　（上）")]
    [InlineData("Ｃ语言程序设计", "C 语言程序设计")]
    [InlineData("C++ 程序设计：基础", "c++程序设计-基础")]
    public async Task The_same_course_term_and_learner_is_one_outcome_whatever_its_spaces_width_and_punctuation(string title, string variant)
    {
        var number = Requests.ResidentId(702 + Requests.Serial() % 50);
        var first = Requests.Course(documentNumber: number, title: title, term: "2024-2025-2");
        var again = Requests.Course(documentNumber: number, title: variant, term: "2024-2025-2");

        var a = await bank.Client.SubmitOutcomeAsync(first, cancellationToken: _ct);
        var b = await bank.Client.SubmitOutcomeAsync(again, cancellationToken: _ct);

        Assert.True(b.Duplicate);
        Assert.Equal(a.OutcomeId, b.OutcomeId);
    }

    [Fact]
    public async Task The_same_course_in_another_term_or_for_another_learner_is_a_new_outcome()
    {
        var title = $"机械制图 {Requests.Serial()}";
        var a = await bank.Client.SubmitOutcomeAsync(Requests.Course(documentNumber: Requests.ResidentId(760), title: title, term: "2024-2025-1"), cancellationToken: _ct);
        var b = await bank.Client.SubmitOutcomeAsync(Requests.Course(documentNumber: Requests.ResidentId(760), title: title, term: "2024-2025-2"), cancellationToken: _ct);
        var c = await bank.Client.SubmitOutcomeAsync(Requests.Course(documentNumber: Requests.ResidentId(761), title: title, term: "2024-2025-1"), cancellationToken: _ct);

        Assert.Equal(3, new[] { a.OutcomeId, b.OutcomeId, c.OutcomeId }.Distinct().Count());
        Assert.False(b.Duplicate || c.Duplicate);
    }

    [Fact]
    public async Task The_same_certificate_number_from_another_issuer_is_another_outcome()
    {
        var fromAssessor = Requests.Certificate(documentNumber: Requests.ResidentId(770));
        var fromCollege = fromAssessor.Clone();
        fromCollege.RequestId = Guid.NewGuid().ToString();
        fromCollege.InstitutionCode = Requests.TrustedCollege;

        var a = await bank.Client.SubmitOutcomeAsync(fromAssessor, cancellationToken: _ct);
        var b = await bank.Client.SubmitOutcomeAsync(fromCollege, cancellationToken: _ct);

        Assert.NotEqual(a.OutcomeId, b.OutcomeId);
    }
}
