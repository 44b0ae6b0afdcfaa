using CreditBank.Contracts.Recognition.V1;
using CreditBank.Contracts.Type.V1;
using Grpc.Core;

namespace CreditBank.Recognition.Tests;

/// <summary>The catalogue is seeded from data files and administrators change accreditation units by version.</summary>
public sealed class Catalogue(RecognitionHost bank) : IClassFixture<RecognitionHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private CatalogueService.CatalogueServiceClient Client => new(bank.Acting);

    [Fact]
    public async Task Every_grading_scheme_is_announced_as_it_stands_when_the_catalogue_loads()
    {
        var announced = await Eventually.Until(() => Task.FromResult(bank.SchemesDefined.Received.Select(r => r.Message).ToList()),
            events => events.Select(e => e.Code).Distinct().Count() >= 5, what: "the seeded grading schemes to be announced");

        var letters = announced.Last(e => e.Code == "LETTER_AF");
        var gpa = announced.Last(e => e.Code == "GPA_4");
        Assert.Equal(("ORDERED", "A,B,C,D,F", "F"), (letters.Kind, string.Join(',', letters.Values.Select(v => v.Value)), Assert.Single(letters.Values, v => !v.Passes).Value));
        Assert.Equal(("NUMERIC", 0m, 4m, 1m), (gpa.Kind, gpa.Min, gpa.Max, gpa.PassMark));
        Assert.Equal("system", gpa.Actor);
    }

    [Fact]
    public async Task The_seeded_catalogue_has_several_institutions_of_every_kind_two_workstations_and_dozens_of_1x_certificates_at_three_levels()
    {
        var institutions = await Client.ListInstitutionsAsync(new() { PageSize = 1000 }, cancellationToken: _ct);
        var workstations = await Client.ListWorkstationsAsync(new(), cancellationToken: _ct);
        var units = await Client.ListAccreditationUnitsAsync(new() { Kind = OutcomeKind.SkillCertificate, PageSize = 1000 }, cancellationToken: _ct);
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
        var unit = (await Client.ListAccreditationUnitsAsync(new() { Kind = OutcomeKind.SpecialAbility, PageSize = 1000 }, cancellationToken: _ct))
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

public sealed class RegisteringInstitutions(RecognitionHost bank) : IClassFixture<RecognitionHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private CatalogueService.CatalogueServiceClient AsAdmin => new(bank.Host.Channel.WithToken(bank.Callers.AdminToken));

    [Fact]
    public async Task An_administrator_registers_a_trusted_issuer_and_its_outcomes_are_then_recognised_automatically()
    {
        var before = await Assert.ThrowsAsync<RpcException>(() => bank.SubmitAsync(Requests.Course(institution: RecognitionHost.UnregisteredInstitution), _ct));

        var saved = await AsAdmin.SaveInstitutionAsync(new()
        {
            Institution = new() { Code = RecognitionHost.UnregisteredInstitution, Name = "重庆市某新建职业学院", Kind = "高职专科", Region = "渝", TrustLevel = TrustLevel.Trusted },
        }, cancellationToken: _ct);
        var after = await bank.SubmitAsync(Requests.Course(institution: RecognitionHost.UnregisteredInstitution), _ct);
        var listed = await AsAdmin.ListInstitutionsAsync(new() { Kind = "高职专科", PageSize = 1000 }, cancellationToken: _ct);

        Assert.Equal("UNKNOWN_INSTITUTION", Assert.Single(before.FieldViolations()).Reason);
        Assert.Equal(TrustLevel.Trusted, saved.Institution.TrustLevel);
        Assert.Equal(OutcomeStatus.Recognised, after.Status);
        Assert.Contains(listed.Institutions, i => i.Code == RecognitionHost.UnregisteredInstitution);
    }

    [Fact]
    public async Task An_institution_with_a_bad_code_or_kind_is_refused_naming_each_field()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => AsAdmin.SaveInstitutionAsync(new()
        {
            Institution = new() { Code = "91500000MA5U7XYZ1X", Name = "某公司", Kind = "公司", Region = "渝", TrustLevel = TrustLevel.Untrusted },
        }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(["institution.code", "institution.kind"], refused.FieldViolations().Select(v => v.Field));
    }

    [Fact]
    public async Task Only_administrators_register_institutions()
    {
        var asCollege = new CatalogueService.CatalogueServiceClient(bank.Host.Channel.WithToken(bank.Callers.TokenOf(Requests.TrustedCollege)));

        var refused = await Assert.ThrowsAsync<RpcException>(() => asCollege.SaveInstitutionAsync(new()
        {
            Institution = new() { Code = Requests.TrustedCollege, Name = "x", Kind = "高职专科", Region = "渝", TrustLevel = TrustLevel.Trusted },
        }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }
}
