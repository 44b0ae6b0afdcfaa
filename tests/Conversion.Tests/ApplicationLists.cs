using CreditBank.Contracts.Conversion.V1;
using Grpc.Core;
using CreditBank.TestSupport;
using Xunit;

namespace CreditBank.Conversion.Tests;

/// <summary>The lists of conversion applications each role needs: newest first, in pages, filtered, and only one's own.</summary>
public sealed class ApplicationLists(StandaloneBankHost bank) : IClassFixture<StandaloneBankHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_learner_pages_through_their_own_applications_newest_first_with_their_decisions()
    {
        var (learner, first, second) = await TwoApplicationsAsync(951);
        await bank.ConversionAsInstitution(StandaloneBankHost.University).DecideConversionAsync(new()
        {
            ApplicationId = first.ApplicationId, Decisions = { first.Items.Select(i => new ItemDecisionInput { ItemNumber = i.ItemNumber, Accept = true }) },
        }, cancellationToken: _ct);

        var page1 = await bank.Conversion(learner).ListApplicationsAsync(new() { PageSize = 1 }, cancellationToken: _ct);
        var page2 = await bank.Conversion(learner).ListApplicationsAsync(new() { PageSize = 1, PageToken = page1.NextPageToken }, cancellationToken: _ct);
        var decided = await bank.Conversion(learner).ListApplicationsAsync(new() { Status = ApplicationStatus.Decided }, cancellationToken: _ct);

        Assert.Equal(second.ApplicationId, Assert.Single(page1.Applications).ApplicationId);
        Assert.NotEmpty(page1.NextPageToken);
        var older = Assert.Single(page2.Applications);
        Assert.Equal((first.ApplicationId, ApplicationStatus.Decided), (older.ApplicationId, older.Status));
        Assert.All(older.Items, i => Assert.Equal(ItemDecision.Accepted, i.Decision));
        Assert.Empty(page2.NextPageToken);
        Assert.Equal([first.ApplicationId], decided.Applications.Select(a => a.ApplicationId));
    }

    [Fact]
    public async Task An_institution_lists_the_applications_awaiting_its_decision_and_sees_no_one_elses()
    {
        var (learner, first, second) = await TwoApplicationsAsync(952);
        var stranger = await bank.LearnerAsync("learner953", Requests.ResidentId(953));
        var university = bank.ConversionAsInstitution(StandaloneBankHost.University);
        var college = bank.ConversionAsInstitution(StandaloneBankHost.College);

        var awaiting = await university.ListApplicationsAsync(new() { Status = ApplicationStatus.Submitted, ProgrammeCode = "CQU-SE-2025", PageSize = 1000 },
            cancellationToken: _ct);
        var someoneElses = await college.ListApplicationsAsync(new() { ProgrammeCode = "CQU-SE-2025" }, cancellationToken: _ct);
        var missing = await college.ListApplicationsAsync(new() { ProgrammeCode = "NO-SUCH-PROGRAMME" }, cancellationToken: _ct);
        var ownButEmpty = await college.ListApplicationsAsync(new(), cancellationToken: _ct);
        var byStranger = await bank.Conversion(stranger).ListApplicationsAsync(new(), cancellationToken: _ct);
        var byAdmin = await bank.Conversion(bank.Callers.AdminToken).ListApplicationsAsync(new() { ProgrammeCode = "CQU-SE-2025", PageSize = 1000 }, cancellationToken: _ct);

        var ids = awaiting.Applications.Select(a => a.ApplicationId).ToList();
        Assert.True(ids.IndexOf(second.ApplicationId) < ids.IndexOf(first.ApplicationId), "newest first");
        Assert.Contains(first.ApplicationId, ids);
        Assert.All(awaiting.Applications, a => Assert.Equal((ApplicationStatus.Submitted, StandaloneBankHost.University), (a.Status, a.InstitutionCode)));
        Assert.Empty(someoneElses.Applications);
        Assert.Equal(missing.ToString(), someoneElses.ToString());
        Assert.All(ownButEmpty.Applications, a => Assert.Equal(StandaloneBankHost.College, a.InstitutionCode));
        Assert.Empty(byStranger.Applications);
        Assert.Contains(second.ApplicationId, byAdmin.Applications.Select(a => a.ApplicationId));
    }

    [Fact]
    public async Task A_page_token_from_another_list_is_refused()
    {
        var (learner, _, _) = await TwoApplicationsAsync(954);
        var page = await bank.Conversion(learner).ListApplicationsAsync(new() { PageSize = 1 }, cancellationToken: _ct);

        var refused = await Assert.ThrowsAsync<RpcException>(() => bank.Conversion(learner)
            .ListApplicationsAsync(new() { PageSize = 1, PageToken = page.NextPageToken, Status = ApplicationStatus.Submitted }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal("INVALID_PAGE_TOKEN", refused.ErrorInfo()?.Reason);
    }

    /// <summary>A learner with a 1+X certificate who applies twice to CQU-SE-2025 (nothing decided in between).</summary>
    private async Task<(string Learner, Application First, Application Second)> TwoApplicationsAsync(int n)
    {
        var number = Requests.ResidentId(n);
        var learner = await bank.LearnerAsync($"learner{n}", number);
        var certificate = Requests.Certificate(documentNumber: number);
        certificate.SkillCertificate.CertificateName = "Web 前端开发职业技能等级证书";
        await bank.Institutions.SubmitOutcomeAsync(certificate, cancellationToken: _ct);
        await bank.EvaluateWhenSeenAsync(learner, "CQU-SE-2025", 1);
        var first = (await bank.Conversion(learner).ApplyForConversionAsync(new() { RequestId = $"l-{n}-1", ProgrammeCode = "CQU-SE-2025" }, cancellationToken: _ct)).Application;
        var second = (await bank.Conversion(learner).ApplyForConversionAsync(new() { RequestId = $"l-{n}-2", ProgrammeCode = "CQU-SE-2025" }, cancellationToken: _ct)).Application;
        return (learner, first, second);
    }
}
