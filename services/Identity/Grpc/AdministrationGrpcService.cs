using System.Text.RegularExpressions;
using CreditBank.Contracts.Learning;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using CreditBank.Identity.Administration;
using CreditBank.Identity.Domain;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using V1 = CreditBank.Contracts.Identity.V1;

namespace CreditBank.Identity.Grpc;

/// <summary>creditbank.identity.v1.AdministrationService: checks and translates; onboarding and people administration decide.</summary>
[Authorize(Policy = Scopes.Admin)]
internal sealed partial class AdministrationGrpcService(InstitutionOnboarding institutions, PeopleAdministration people)
    : V1.AdministrationService.AdministrationServiceBase
{
    public override async Task<V1.RegisterInstitutionResponse> RegisterInstitution(V1.RegisterInstitutionRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var code = Code(violations, request.Code);
        var name = violations.Text("name", request.Name, 100, "The institution's name");
        var kind = violations.Text("kind", request.Kind, 20, "The kind (机构类型)");
        if (kind.Length > 0 && !InstitutionKinds.All.Contains(kind))
        {
            violations.Add("kind", $"The kind (机构类型) must be one of {string.Join(", ", InstitutionKinds.All)}.", "INVALID_KIND");
        }

        var region = violations.Text("region", request.Region, 10, "The region");
        if (region.Length > 0 && !InstitutionRegions.All.Contains(region))
        {
            violations.Add("region", $"The region must be one of {string.Join(", ", InstitutionRegions.All)}.", "INVALID_REGION");
        }

        var trust = violations.Enum("trust_level", request.TrustLevel, "The trust level");
        violations.ThrowIfAny("The institution was not registered");
        var (institution, secret) = await institutions.RegisterAsync(new Institution
        {
            Code = code,
            Name = name,
            Kind = kind,
            Region = region,
            IsTrustedIssuer = trust == V1.TrustLevel.Trusted,
            ClientId = Institution.ClientIdFor(code),
        }, Caller.From(context).Actor, context.CancellationToken);
        return new V1.RegisterInstitutionResponse { Institution = ToContract(institution), ClientSecret = secret };
    }

    public override async Task<V1.GetInstitutionResponse> GetInstitution(V1.GetInstitutionRequest request, ServerCallContext context) =>
        new() { Institution = ToContract(await institutions.GetAsync(CheckedCode(request.Code, "The institution was not read"), context.CancellationToken)) };

    public override async Task<V1.ListInstitutionsResponse> ListInstitutions(V1.ListInstitutionsRequest request, ServerCallContext context)
    {
        const string scope = "identity-institutions";
        var size = PageToken.Size(request.PageSize);
        var skip = PageToken.Decode(request.PageToken, scope);
        var page = await institutions.ListAsync((int)skip, size + 1, context.CancellationToken);
        var response = new V1.ListInstitutionsResponse { Institutions = { page.Take(size).Select(ToContract) } };
        if (page.Count > size)
        {
            response.NextPageToken = PageToken.Encode(scope, skip + size);
        }

        return response;
    }

    public override async Task<V1.RotateClientSecretResponse> RotateClientSecret(V1.RotateClientSecretRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var code = Code(violations, request.Code);
        var grace = request.GracePeriod?.ToTimeSpan() ?? TimeSpan.Zero;
        if (grace < TimeSpan.Zero || grace > Institution.MaxGracePeriod)
        {
            violations.Add("grace_period", $"The grace period is from 0 to {Institution.MaxGracePeriod.TotalDays} days.", "INVALID_GRACE_PERIOD");
        }

        violations.ThrowIfAny("The client secret was not rotated");
        var (institution, secret) = await institutions.RotateSecretAsync(code, grace, Caller.From(context).Actor, context.CancellationToken);
        return new V1.RotateClientSecretResponse { Institution = ToContract(institution), ClientSecret = secret };
    }

    public override async Task<V1.DisableClientResponse> DisableClient(V1.DisableClientRequest request, ServerCallContext context) =>
        new()
        {
            Institution = ToContract(await institutions.DisableAsync(CheckedCode(request.Code, "The client was not disabled"), Caller.From(context).Actor,
                context.CancellationToken)),
        };

    public override async Task<V1.ChangeTrustLevelResponse> ChangeTrustLevel(V1.ChangeTrustLevelRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var code = Code(violations, request.Code);
        var trust = violations.Enum("trust_level", request.TrustLevel, "The trust level");
        violations.ThrowIfAny("The trust level was not changed");
        var institution = await institutions.ChangeTrustLevelAsync(code, trust == V1.TrustLevel.Trusted, Caller.From(context).Actor, context.CancellationToken);
        return new V1.ChangeTrustLevelResponse { Institution = ToContract(institution) };
    }

    public override async Task<V1.SetClientKeysResponse> SetClientKeys(V1.SetClientKeysRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var code = Code(violations, request.Code);
        Microsoft.IdentityModel.Tokens.JsonWebKeySet? keys = null;
        if (request.Jwks.Length > 0)
        {
            (keys, var problem) = request.Jwks.Length > 64 * 1024 ? (null, "The key set is larger than 64 KB.") : ClientKeys.Parse(request.Jwks);
            if (problem is not null)
            {
                violations.Add("jwks", problem, "INVALID_JWKS");
            }
        }

        violations.ThrowIfAny("The client's keys were not set");
        var institution = await institutions.SetKeysAsync(code, keys, Caller.From(context).Actor, context.CancellationToken);
        return new V1.SetClientKeysResponse { Institution = ToContract(institution), KeyThumbprints = { keys?.Keys.Select(ClientKeys.Thumbprint) ?? [] } };
    }

    public override async Task<V1.CreateReviewerResponse> CreateReviewer(V1.CreateReviewerRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var (userName, displayName, password) = Person(violations, request.UserName, request.DisplayName, request.Password);
        var workstation = violations.Text("workstation_code", request.WorkstationCode, 40, "The workstation code");
        if (workstation.Length > 0 && !WorkstationCodePattern().IsMatch(workstation))
        {
            violations.Add("workstation_code", "A workstation code is capital letters, digits and '-', e.g. WS-LIANGPING.", "INVALID_WORKSTATION_CODE");
        }

        violations.ThrowIfAny("The reviewer was not created");
        var person = await people.CreateAsync(userName, displayName, password, Roles.Reviewer, workstation, null, changeAtFirstSignIn: true, Caller.From(context).Actor, context.CancellationToken);
        return new V1.CreateReviewerResponse { Person = ToContract(person) };
    }

    public override async Task<V1.CreateAdministratorResponse> CreateAdministrator(V1.CreateAdministratorRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var (userName, displayName, password) = Person(violations, request.UserName, request.DisplayName, request.Password);
        violations.ThrowIfAny("The administrator was not created");
        var person = await people.CreateAsync(userName, displayName, password, Roles.Admin, null, null, changeAtFirstSignIn: true, Caller.From(context).Actor, context.CancellationToken);
        return new V1.CreateAdministratorResponse { Person = ToContract(person) };
    }

    public override async Task<V1.CreateInstitutionStaffResponse> CreateInstitutionStaff(V1.CreateInstitutionStaffRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var code = Code(violations, request.InstitutionCode, "institution_code");
        var (userName, displayName, password) = Person(violations, request.UserName, request.DisplayName, request.Password);
        violations.ThrowIfAny("The staff member was not created");
        var person = await people.CreateAsync(userName, displayName, password, Roles.Institution, null, code, changeAtFirstSignIn: true,
            Caller.From(context).Actor, context.CancellationToken);
        return new V1.CreateInstitutionStaffResponse { Person = ToContract(person) };
    }

    public override async Task<V1.ResetPasswordResponse> ResetPassword(V1.ResetPasswordRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var userName = UserName(violations, request.UserName);
        if (request.NewPassword.Length > 0 && PasswordPolicy.Problem(request.NewPassword) is { } problem)
        {
            violations.Add("new_password", problem, "WEAK_PASSWORD");
        }

        violations.ThrowIfAny("The password was not reset");
        var (person, temporary) = await people.ResetPasswordAsync(userName, request.NewPassword, Caller.From(context).Actor, context.CancellationToken);
        return new V1.ResetPasswordResponse { Person = ToContract(person), TemporaryPassword = temporary ?? string.Empty };
    }

    public override async Task<V1.RevokeSessionsResponse> RevokeSessions(V1.RevokeSessionsRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var userName = UserName(violations, request.UserName);
        violations.ThrowIfAny("The sessions were not revoked");
        var (person, revoked) = await people.RevokeSessionsAsync(userName, Caller.From(context).Actor, context.CancellationToken);
        return new V1.RevokeSessionsResponse { Person = ToContract(person), RevokedCount = revoked };
    }

    private static string CheckedCode(string code, string subject)
    {
        var violations = new FieldViolations();
        var checkedCode = Code(violations, code);
        violations.ThrowIfAny(subject);
        return checkedCode;
    }

    private static string Code(FieldViolations violations, string raw, string field = "code")
    {
        var code = violations.Text(field, raw, 18, "The institution code");
        if (code.Length > 0 && InstitutionCode.Problem(code) is { } problem)
        {
            violations.Add(field, problem, "INVALID_INSTITUTION_CODE");
        }

        return code;
    }

    private static (string UserName, string DisplayName, string Password) Person(FieldViolations violations, string userName, string displayName, string password)
    {
        var name = UserName(violations, userName);
        var display = violations.Text("display_name", displayName, 100, "The display name");
        if (password.Length == 0)
        {
            violations.Add("password", "The password is required.", "REQUIRED_FIELD");
        }
        else if (PasswordPolicy.Problem(password) is { } problem)
        {
            violations.Add("password", problem, "WEAK_PASSWORD");
        }

        return (name, display, password);
    }

    private static string UserName(FieldViolations violations, string raw)
    {
        var userName = violations.Text("user_name", raw, 100, "The user name");
        if (userName.Length > 0 && !UserNamePattern().IsMatch(userName))
        {
            violations.Add("user_name", "A user name is 3 to 100 letters, digits, '.', '-' or '_'.", "INVALID_USER_NAME");
        }

        return userName;
    }

    private static V1.Institution ToContract(Institution i) => new()
    {
        Code = i.Code,
        Name = i.Name,
        Kind = i.Kind,
        Region = i.Region,
        TrustLevel = i.IsTrustedIssuer ? V1.TrustLevel.Trusted : V1.TrustLevel.Untrusted,
        ClientId = i.ClientId,
        CreateTime = Timestamp.FromDateTimeOffset(i.CreatedAt),
        DisabledTime = i.DisabledAt is { } disabled ? Timestamp.FromDateTimeOffset(disabled) : null,
        PreviousSecretExpireTime = i.PreviousSecretHash is not null && i.PreviousSecretExpiresAt is { } expires ? Timestamp.FromDateTimeOffset(expires) : null,
    };

    private static V1.Person ToContract(Person p) => new()
    {
        UserName = p.UserName,
        DisplayName = p.DisplayName,
        Role = p.Role,
        WorkstationCode = p.Workstation ?? string.Empty,
        InstitutionCode = p.InstitutionCode ?? string.Empty,
        CreateTime = Timestamp.FromDateTimeOffset(p.CreatedAt),
        Subject = p.Id.ToString(),
    };

    [GeneratedRegex("^[A-Za-z0-9._-]{3,100}$")]
    internal static partial Regex UserNamePattern();

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{1,39}$")]
    private static partial Regex WorkstationCodePattern();
}
