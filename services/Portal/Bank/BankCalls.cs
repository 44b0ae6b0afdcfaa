using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Conversion.V1;
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

    /// <summary>The call options of this person: their token, and the request's cancellation.</summary>
    public async Task<CallOptions> AsPersonAsync()
    {
        var context = http.HttpContext ?? throw new InvalidOperationException("The portal calls the bank only while answering a request.");
        var token = await context.GetTokenAsync(PortalSignIn.CookieScheme, "access_token")
            ?? throw new InvalidOperationException("No access token in the portal session.");
        return new CallOptions(new Metadata { { "Authorization", $"Bearer {token}" } },
            deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: context.RequestAborted);
    }
}
