using System.Text.Json;
using CreditBank.Persistence;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Scopes = CreditBank.Grpc.Security.Scopes;

namespace CreditBank.Identity.Data;

/// <summary>
/// The portal's sign-in client (<c>portal</c>): public, authorization code with PKCE. Part of the product, not demo data:
/// without it no person signs in, not even the first administrator. Registered at every start where the portal is
/// served is known (<c>Identity:PortalUrl</c>, or the issuer in the demo), and updated when that address changed.
/// </summary>
internal static class PortalClient
{
    public const string ClientId = "portal";

    /// <summary>
    /// Where the demo's portal also sends people back: <c>make run</c>'s host, and the by-hand callback of docs/security.md
    /// and tests/TestSupport/Tokens.cs. Never registered outside the demo (<c>Identity:SeedDemo</c>).
    /// </summary>
    public static readonly IReadOnlyList<string> DemoRedirectUris = ["http://127.0.0.1:5000/signin-callback", "http://localhost/callback"];

    /// <summary>What a person may ask for through it; each token gets those of them their role allows (<c>Person.AllowedScopes</c>).</summary>
    private static readonly string[] BankScopes =
        [Scopes.AccountsRead, Scopes.ConversionsApply, Scopes.OutcomesReview, Scopes.OutcomesSubmit, Scopes.ConversionsDecide, Scopes.Admin, Scopes.OutcomesApply];

    /// <summary>Creates the client, or brings an existing one's addresses up to date.</summary>
    /// <param name="portalUrl">Where the portal is served, e.g. <c>https://portal.creditbank.example/</c>; empty in a demo without an issuer.</param>
    /// <param name="moreRedirectUris">Redirect URIs besides the portal's own (the demo's).</param>
    /// <returns>Whether the client was created (false: updated).</returns>
    public static async Task<bool> RegisterAsync(IOpenIddictApplicationManager applications, string portalUrl, IEnumerable<string> moreRedirectUris,
        CancellationToken ct)
    {
        var descriptor = Descriptor(portalUrl, moreRedirectUris);
        if (await applications.FindByClientIdAsync(ClientId, ct) is { } existing)
        {
            // Its addresses follow where the portal is served now (a data folder or database outlives a move). A public
            // client has no secret, so rewriting it at every start changes nothing else.
            try
            {
                await applications.UpdateAsync(existing, descriptor, ct);
            }
            catch (OpenIddictExceptions.ConcurrencyException)
            {
                // Another replica starting at the same moment updated it, to the same addresses.
            }

            return false;
        }

        try
        {
            await applications.CreateAsync(descriptor, ct);
            return true;
        }
        catch (Exception e) when (e.IsUniqueViolation())
        {
            // Another replica starting at the same moment registered it: bring that one up to date instead.
            await applications.UpdateAsync(await applications.FindByClientIdAsync(ClientId, ct) 
                ?? throw new InvalidOperationException("The portal client was registered and removed at once.", e), descriptor, ct);
            return false;
        }
    }

    private static OpenIddictApplicationDescriptor Descriptor(string portalUrl, IEnumerable<string> moreRedirectUris)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            DisplayName = "CreditBank portal",
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
        };
        descriptor.Permissions.UnionWith([
            Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.Revocation, Permissions.Endpoints.EndSession,
            Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken,
            Permissions.ResponseTypes.Code, Permissions.Scopes.Profile, Permissions.Scopes.Roles,
        ]);
        descriptor.Permissions.UnionWith(BankScopes.Select(s => Permissions.Prefixes.Scope + s));
        descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        descriptor.RedirectUris.UnionWith(moreRedirectUris.Select(u => new Uri(u)));
        if (!string.IsNullOrWhiteSpace(portalUrl))
        {
            // The portal's callbacks (services/Portal/Session/PortalSignIn.cs). Unknown only in a demo without an issuer
            // (identity behind several addresses in tests), which signs in through the demo's callbacks alone.
            var portal = portalUrl.EndsWith('/') ? portalUrl : portalUrl + "/";
            descriptor.RedirectUris.Add(new Uri(portal + "signin-callback"));
            descriptor.PostLogoutRedirectUris.Add(new Uri(portal + "signout-callback"));
        }
        descriptor.Properties[ClientProperties.Role] = JsonSerializer.SerializeToElement("portal");
        return descriptor;
    }
}

/// <summary>Registers <see cref="PortalClient"/> at start, once the database is up to date.</summary>
internal sealed partial class PortalClientRegistration(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<PortalClientRegistration> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = configuration.GetSection(IdentityOptions.Section).Get<IdentityOptions>() ?? new IdentityOptions();
        var portal = options.PortalOrIssuer;
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var created = await PortalClient.RegisterAsync(applications, portal, options.SeedDemo ? PortalClient.DemoRedirectUris : [], cancellationToken);
        LogRegistered(created ? "registered" : "up to date", portal);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Portal sign-in client {State} for {PortalUrl}")]
    private partial void LogRegistered(string state, string portalUrl);
}
