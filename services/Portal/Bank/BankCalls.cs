using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Conversion.V1;
using CreditBank.Contracts.Credentials.V1;
using CreditBank.Contracts.Identity.V1;
using CreditBank.Contracts.Operations.V1;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.Portal.Session;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;

namespace CreditBank.Portal.Bank;

/// <summary>
/// The services' clients for one request, each call carrying the signed-in person's access token: the services decide
/// what this person may see and do, exactly as for any other caller of their contracts.
/// </summary>
internal sealed class BankCalls(BankChannels channels, IHttpContextAccessor http)
{
    public RecognitionService.RecognitionServiceClient Recognition { get; } = new(channels.Recognition);

    public ReviewService.ReviewServiceClient Reviews { get; } = new(channels.Recognition);

    public AccountsService.AccountsServiceClient Accounts { get; } = new(channels.Accounts);

    public ConversionService.ConversionServiceClient Conversion { get; } = new(channels.Conversion);

    public CredentialsService.CredentialsServiceClient Credentials { get; } = new(channels.Credentials);

    public AdministrationService.AdministrationServiceClient Administration { get; } = new(channels.Identity);

    public WorkstationService.WorkstationServiceClient Workstations { get; } = new(channels.Recognition);

    public CatalogueService.CatalogueServiceClient Catalogue { get; } = new(channels.Recognition);

    public BatchService.BatchServiceClient Batches { get; } = new(channels.Recognition);

    /// <summary>The services that keep audit entries, each serving its own (in the standalone host one process serves all three).</summary>
    public static readonly IReadOnlyList<string> AuditedServices = ["identity", "recognition", "conversion"];

    /// <summary>The audit entries of <paramref name="service"/> (one of <see cref="AuditedServices"/>), at that service's address.</summary>
    public AuditService.AuditServiceClient AuditOf(string service) => new(service switch
    {
        "identity" => channels.Identity,
        "recognition" => channels.Recognition,
        "conversion" => channels.Conversion,
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "Not a service that keeps audit entries."),
    });

    /// <summary>The call options of this person: their token, and the request's cancellation.</summary>
    public async Task<CallOptions> AsPersonAsync()
    {
        var context = http.HttpContext ?? throw new InvalidOperationException("The portal calls the bank only while answering a request.");
        return new CallOptions(new Metadata { { "Authorization", $"Bearer {await TokenAsync()}" } },
            deadline: DateTime.UtcNow + Deadline, cancellationToken: context.RequestAborted);
    }

    /// <summary>The call options of a call anyone may make (no token), with the request's cancellation.</summary>
    public CallOptions AsAnyone() => new(deadline: DateTime.UtcNow + Deadline, cancellationToken: http.HttpContext?.RequestAborted ?? default);

    /// <summary>How long the portal waits for a service's answer.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>This person's access token, for a call that is not gRPC (a batch file to recognition's REST upload).</summary>
    public async Task<string> TokenAsync()
    {
        var context = http.HttpContext ?? throw new InvalidOperationException("The portal calls the bank only while answering a request.");
        return await context.GetTokenAsync(PortalSignIn.CookieScheme, "access_token")
            ?? throw new InvalidOperationException("No access token in the portal session.");
    }
}
