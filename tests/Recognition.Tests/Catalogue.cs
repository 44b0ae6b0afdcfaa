using CreditBank.Contracts.Recognition.V1;
using CreditBank.TestSupport;
using Xunit;

namespace CreditBank.Recognition.Tests;

/// <summary>The catalogue is seeded from data files and administrators change accreditation units by version.</summary>
public sealed class Catalogue(RecognitionHost bank) : IClassFixture<RecognitionHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private CatalogueService.CatalogueServiceClient Client => new(bank.Acting);

    [Fact]
    public async Task The_seeded_catalogue_has_several_institutions_of_every_kind_two_workstations_and_dozens_of_1x_certificates_at_three_levels()
    {
        var institutions = await Client.ListInstitutionsAsync(new() { PageSize = 1000 }, cancellationToken: _ct);
        var workstations = await Client.ListWorkstationsAsync(new(), cancellationToken: _ct);
        var units = await Client.ListAccreditationUnitsAsync(new() { Kind = OutcomeKindName.SkillCertificate, PageSize = 1000 }, cancellationToken: _ct);
        var levels = await Client.ListFrameworkLevelsAsync(new(), cancellationToken: _ct);
        var schemes = await Client.ListGradingSchemesAsync(new(), cancellationToken: _ct);

        Assert.All(institutions.Institutions.GroupBy(i => i.Kind), g => Assert.True(g.Count() >= 3, g.Key));
        Assert.Equal(9, institutions.Institutions.Select(i => i.Kind).Distinct().Count());
        Assert.Contains(workstations.Workstations, w => w.Name == "梁平工作站" && w.DistrictCodes.Contains("500155"));
        Assert.Equal(2, workstations.Workstations.Count);
        Assert.True(units.Units.Count >= 90);
        Assert.All(units.Units.GroupBy(u => u.Name), g => Assert.Equal([1, 2, 3], g.Select(u => u.Level).Order()));
        Assert.Equal(Enumerable.Range(1, 10), levels.Levels.Select(l => l.Level));
        Assert.Contains(schemes.Schemes, s => s.Code == "PERCENTAGE" && s.PassMark == 60);
    }

    [Fact]
    public async Task Changing_a_unit_makes_a_new_version_that_new_outcomes_are_credited_by()
    {
        var unit = (await Client.ListAccreditationUnitsAsync(new() { Kind = OutcomeKindName.SpecialAbility, PageSize = 1000 }, cancellationToken: _ct))
            .Units.Single(u => u.Code == "SA-NOODLE");
        unit.Credits = 3;

        var saved = await Client.SaveAccreditationUnitAsync(new() { Admin = "admin.zhou", Unit = unit }, cancellationToken: _ct);
        var request = new SubmitOutcomeRequest
        {
            RequestId = Guid.NewGuid().ToString(), InstitutionCode = Requests.TrustedAssessor,
            Learner = new Learner { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = Requests.ResidentId(901), Name = "钱七" },
            SpecialAbility = new() { AbilityName = "重庆小面制作专项职业能力证书", CertificateNumber = $"NOODLE-{Requests.Serial()}", IssueDate = "2025-04-01" },
        };
        var answer = await bank.Client.SubmitOutcomeAsync(request, cancellationToken: _ct);

        Assert.Equal(unit.Version + 1, saved.Unit.Version);
        Assert.Equal(3, answer.Credits);
    }
}
