using System.Net;
using CreditBank.Contracts.Identity.V1;
using CreditBank.TestSupport;
using Grpc.Core;
using Xunit;
using RecognitionV1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Security.Tests;

/// <summary>
/// A member of an institution's staff (院校用户) signs in as a person and acts for their institution exactly as its client
/// does — and for no other institution.
/// </summary>
public sealed class InstitutionStaffSignIn(AdministeredBank bank) : IClassFixture<AdministeredBank>
{
    /// <summary>In recognition's seeded catalogue (重庆城市管理职业学院) without a demo client: the test registers it.</summary>
    private const string College = "4150013851";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Staff_created_for_a_registered_institution_submit_and_list_its_outcomes_and_no_one_elses()
    {
        var admin = await bank.AdminAsync();
        await admin.RegisterInstitutionAsync(new() { Code = College, Name = "重庆城市管理职业学院", Kind = "高职专科", Region = "渝", TrustLevel = TrustLevel.Trusted },
            cancellationToken: _ct);

        var staff = (await admin.CreateInstitutionStaffAsync(new()
        {
            InstitutionCode = College, UserName = "staff-4150013851", DisplayName = "教务处 王老师", Password = "given-staff-2026",
        }, cancellationToken: _ct)).Person;
        var token = await Tokens.ForPersonAsync(bank.Host.Handler, "staff-4150013851", "given-staff-2026", "openid outcomes.submit conversions.decide",
            newPassword: "own-staff-2026");
        var recognition = new RecognitionV1.RecognitionService.RecognitionServiceClient(bank.Host.Channel.WithToken(token));

        var submitted = await recognition.SubmitOutcomeAsync(Requests.Course(documentNumber: Requests.ResidentId(931), institution: College), cancellationToken: _ct);
        var listed = await recognition.ListInstitutionOutcomesAsync(new() { InstitutionCode = College }, cancellationToken: _ct);
        var forAnother = await Assert.ThrowsAsync<RpcException>(() => recognition.SubmitOutcomeAsync(
            Requests.Course(documentNumber: Requests.ResidentId(932), institution: Requests.TrustedCollege), cancellationToken: _ct).ResponseAsync);
        var anothersList = await Assert.ThrowsAsync<RpcException>(() => recognition.ListInstitutionOutcomesAsync(
            new() { InstitutionCode = Requests.TrustedCollege }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(("institution", College), (staff.Role, staff.InstitutionCode));
        Assert.Contains(listed.Outcomes, o => o.OutcomeId == submitted.OutcomeId);
        Assert.Equal(StatusCode.PermissionDenied, forAnother.StatusCode);
        Assert.Equal(StatusCode.NotFound, anothersList.StatusCode);
        var audit = await (await bank.AuditAsync()).ListAuditEntriesAsync(new() { Service = "identity", Target = "person:staff-4150013851" }, cancellationToken: _ct);
        Assert.Equal(["ChangePassword", "CreateInstitutionStaff"], audit.Entries.Select(e => e.Action));
    }

    [Fact]
    public async Task Staff_of_an_unregistered_institution_are_not_created_and_a_wrong_code_is_a_field_violation()
    {
        var admin = await bank.AdminAsync();

        var unregistered = await Assert.ThrowsAsync<RpcException>(() => admin.CreateInstitutionStaffAsync(new()
        {
            InstitutionCode = "4150014524", UserName = "staff-nowhere", DisplayName = "无", Password = "given-staff-2026",
        }, cancellationToken: _ct).ResponseAsync);
        var malformed = await Assert.ThrowsAsync<RpcException>(() => admin.CreateInstitutionStaffAsync(new()
        {
            InstitutionCode = "41500", UserName = "x", DisplayName = "", Password = "short",
        }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal((StatusCode.NotFound, "INSTITUTION_NOT_FOUND"), (unregistered.StatusCode, unregistered.ErrorInfo()?.Reason));
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        Assert.Equal(["institution_code", "user_name", "display_name", "password"], malformed.FieldViolations().Select(v => v.Field));
    }

    [Fact]
    public async Task Staff_of_a_disabled_institution_cannot_sign_in()
    {
        const string code = "4150010635";
        var admin = await bank.AdminAsync();
        await admin.RegisterInstitutionAsync(new() { Code = code, Name = "重庆三峡医药高等专科学校", Kind = "高职专科", Region = "渝", TrustLevel = TrustLevel.Untrusted },
            cancellationToken: _ct);
        await admin.CreateInstitutionStaffAsync(new() { InstitutionCode = code, UserName = "staff-4150010635", DisplayName = "教务处", Password = "given-staff-2026" },
            cancellationToken: _ct);
        await Tokens.ForPersonAsync(bank.Host.Handler, "staff-4150010635", "given-staff-2026", "openid outcomes.submit", newPassword: "own-staff-2026");

        await (await bank.AdminAsync()).DisableClientAsync(new() { Code = code }, cancellationToken: _ct);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Tokens.ForPersonAsync(bank.Host.Handler, "staff-4150010635", "own-staff-2026", "openid outcomes.submit"));
        Assert.Contains(((int)HttpStatusCode.Forbidden).ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
    }
}
