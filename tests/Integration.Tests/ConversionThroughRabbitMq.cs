using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Conversion.V1;
using CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Integration.Tests;

/// <summary>Apply → decide → ledger across three services, through RabbitMQ into their own PostgreSQL databases.</summary>
public sealed class ConversionThroughRabbitMq(DistributedBankHost bank)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_college_course_converts_into_a_university_programme_and_the_conversion_reaches_the_ledger()
    {
        // 李四 (lisi) is a demo learner verified with this document.
        const string lisi = "510104199903150029";
        var learner = await Tokens.ForPersonAsync(bank.Identity.Handler, "lisi", "demo-learner-2", baseAddress: bank.Identity.BaseAddress);
        var conversion = new ConversionService.ConversionServiceClient(bank.Conversion.Channel.WithToken(learner));
        var university = Tokens.ClientOf("4150010611");
        var decider = new ConversionService.ConversionServiceClient(bank.Conversion.Channel.WithToken(
            await Tokens.ForClientAsync(bank.Identity.Rest, university.ClientId, university.ClientSecret!)));

        await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: lisi, grade: "91", courseCode: "CS101"), cancellationToken: _ct);
        var evaluation = await Eventually.Until(
            () => conversion.EvaluateConversionAsync(new() { ProgrammeCode = "CQU-SE-2025" }, cancellationToken: _ct).ResponseAsync,
            e => e.Exemptions.Count > 0, TimeSpan.FromSeconds(30), "conversion to see the recognised course");
        var applied = (await conversion.ApplyForConversionAsync(new() { RequestId = "it-1", ProgrammeCode = "CQU-SE-2025" }, cancellationToken: _ct)).Application;
        await decider.DecideConversionAsync(new()
        {
            ApplicationId = applied.ApplicationId, Decisions = { new ItemDecisionInput { ItemNumber = 1, Accept = true } },
        }, cancellationToken: _ct);
        var account = await bank.WaitForCreditsAsync(lisi, 2, TimeSpan.FromSeconds(30));
        var ledger = await bank.Learners.ListLedgerEntriesAsync(new() { AccountId = account.Account.AccountId }, cancellationToken: _ct);

        Assert.Equal(["CORE202"], Assert.Single(evaluation.Exemptions).CourseCodes);
        Assert.Equal(4, account.ConvertedCredits);
        Assert.Equal([LedgerEntryKind.Deposit, LedgerEntryKind.Conversion], ledger.Entries.Select(e => e.Kind));
        Assert.Contains("CQU-SE-2025 CORE202", ledger.Entries[1].Description);
    }
}
