using System.Globalization;
using CreditBank.Conversion.Applications;
using CreditBank.Conversion.Data;
using CreditBank.Conversion.Programmes;
using CreditBank.Conversion.Validation;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using V1 = CreditBank.Contracts.Conversion.V1;

namespace CreditBank.Conversion.Grpc;

/// <summary>Programmes through the API (made, revised, read) and the lists of applications each role needs.</summary>
/// <remarks>
/// Programmes are the bank's public catalogue of what outcomes convert into: every reader sees every one. Making and
/// revising one is for administrators, and for an institution for its own programmes (as importing their rules is).
/// </remarks>
internal sealed partial class ConversionGrpcService
{
    [Authorize(Policy = Policies.ConversionsRead)]
    public override async Task<V1.ListProgrammesResponse> ListProgrammes(V1.ListProgrammesRequest request, ServerCallContext context)
    {
        var institution = ProgrammeValidation.List(request);
        var size = PageToken.Size(request.PageSize);
        var scope = $"programmes:{institution}";
        var offset = (int)Math.Min(PageToken.Decode(request.PageToken, scope), int.MaxValue);
        var (page, more) = await programmes.ListAsync(institution, offset, size, context.CancellationToken);
        return new V1.ListProgrammesResponse
        {
            Programmes = { page.Select(ToContract) },
            NextPageToken = more ? PageToken.Encode(scope, offset + size) : string.Empty,
        };
    }

    [Authorize(Policy = Policies.ConversionsRead)]
    public override async Task<V1.GetProgrammeResponse> GetProgramme(V1.GetProgrammeRequest request, ServerCallContext context)
    {
        var (code, version) = ProgrammeValidation.Get(request);
        var current = await desk.ProgrammeAsync(code, context.CancellationToken);
        return new V1.GetProgrammeResponse { Programme = ToContract(await programmes.GetAsync(code, version == 0 ? current.Version : version, context.CancellationToken)) };
    }

    [Authorize]
    public override async Task<V1.CreateProgrammeResponse> CreateProgramme(V1.CreateProgrammeRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        MayManageAny(caller);
        var programme = ProgrammeValidation.Create(request);
        MayManage(caller, programme);
        return new V1.CreateProgrammeResponse { Programme = ToContract(await programmes.CreateAsync(programme, caller.Actor, context.CancellationToken)) };
    }

    [Authorize]
    public override async Task<V1.ReviseProgrammeResponse> ReviseProgramme(V1.ReviseProgrammeRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        MayManageAny(caller);
        var (code, revised, expected) = ProgrammeValidation.Revise(request);
        var current = await desk.ProgrammeAsync(code, context.CancellationToken);
        MayManage(caller, current);
        var (version, changed) = await programmes.ReviseAsync(current, revised, expected, caller.Actor, context.CancellationToken);
        return new V1.ReviseProgrammeResponse { Programme = ToContract(version), Changed = changed };
    }

    /// <summary>
    /// A learner's own applications; an institution's, into its programmes; all of them for reviewers and administrators.
    /// Filters only narrow what the caller may see: another institution's programme lists nothing, as a missing one does.
    /// </summary>
    [Authorize(Policy = Policies.ConversionsRead)]
    public override async Task<V1.ListApplicationsResponse> ListApplications(V1.ListApplicationsRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var (status, programme) = ProgrammeValidation.Applications(request);
        var filter = caller.Role switch
        {
            // A learner not yet verified has no document hash, so no applications: "\0" matches none.
            Roles.Learner => new ApplicationFilter(caller.DocumentHash ?? "\0", null, status, programme),
            Roles.Institution => new ApplicationFilter(null, caller.InstitutionCode ?? "\0", status, programme),
            Roles.Admin or Roles.Reviewer => new ApplicationFilter(null, null, status, programme),
            _ => throw Problems.PermissionDenied("NOT_ALLOWED", "Learners, institutions, reviewers and administrators list conversion applications."),
        };
        var size = PageToken.Size(request.PageSize);
        var scope = $"applications:{caller.Role}:{(int?)status}:{programme}";
        var after = PageToken.DecodeText(request.PageToken, scope) is { } position ? Position(position) : ((DateTimeOffset, Guid)?)null;
        var (page, more) = await desk.ListAsync(filter, after, size, context.CancellationToken);
        return new V1.ListApplicationsResponse
        {
            Applications = { page.Select(ToContract) },
            NextPageToken = more ? PageToken.Encode(scope, $"{page[^1].AppliedAt.UtcTicks}.{page[^1].Id:N}") : string.Empty,
        };
    }

    private static (DateTimeOffset At, Guid Id) Position(string position) =>
        position.Split('.') is [var ticks, var id] && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            && at <= DateTimeOffset.MaxValue.UtcTicks && Guid.TryParseExact(id, "N", out var last)
            ? (new DateTimeOffset(at, TimeSpan.Zero), last)
            : throw PageToken.Invalid();

    /// <summary>Administrators, and institutions that decide conversions; anyone else is refused before the request is read.</summary>
    private static void MayManageAny(Caller caller)
    {
        if (!(caller.Is(Roles.Admin) || (caller.Is(Roles.Institution) && caller.Has(Scopes.ConversionsDecide))))
        {
            throw Problems.PermissionDenied("NOT_YOUR_PROGRAMME", "Only an administrator, or an institution for its own programmes, makes and revises programmes.");
        }
    }

    private static V1.Programme ToContract(ProgrammeVersion version)
    {
        var (programme, caps) = (version.Programme, version.Programme.Caps);
        return new V1.Programme
        {
            ProgrammeCode = programme.Code,
            InstitutionCode = programme.InstitutionCode,
            Name = programme.Name,
            Version = programme.Version,
            TotalCredits = (double)programme.TotalCredits,
            MaxConversionCredits = (double)caps.MaxTotalCredits,
            Caps = new V1.ProgrammeCaps
            {
                MaxTotalCredits = (double)caps.MaxTotalCredits,
                MaxSpecialisedShare = (double)caps.MaxSpecialisedShare,
                MaxPublicShare = (double)caps.MaxPublicShare,
                MaxCreditsPerCertificate = (double)caps.MaxCreditsPerCertificate,
                OneCertificatePerCourse = caps.OneCertificatePerCourse,
            },
            Courses =
            {
                programme.Courses.Select(c => new V1.Course { Code = c.Code, Title = c.Title, Credits = (double)c.Credits, Category = c.Category.ToString().ToUpperInvariant() }),
            },
            VersionCreatedAt = version.CreatedAt == default ? null : Timestamp.FromDateTimeOffset(version.CreatedAt),
            VersionCreatedBy = version.CreatedBy,
        };
    }
}
