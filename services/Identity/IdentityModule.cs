using System.Threading.RateLimiting;
using CreditBank.Grpc.Audit;
using CreditBank.Grpc.Security;
using CreditBank.Identity.Administration;
using CreditBank.Identity.Data;
using CreditBank.Identity.Endpoints;
using CreditBank.Identity.Grpc;
using CreditBank.Identity.Registration;
using CreditBank.Messaging;
using CreditBank.PersonalData;
using CreditBank.Persistence;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace CreditBank.Identity;

/// <summary>
/// The identity service (OpenID Connect provider) as a module: clients, people, tokens. Used by its own Program.cs and
/// by the standalone host, where the other modules validate its tokens in process.
/// </summary>
public static class IdentityModule
{
    public const string Name = "Identity";

    public static IHostApplicationBuilder AddIdentityProvider(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(IdentityOptions.Section).Get<IdentityOptions>() ?? new IdentityOptions();
        builder.Services.AddDocumentProtection();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section);
        builder.AddServiceDatabase<IdentityDb, SqliteIdentityDb, PostgresIdentityDb>(Name);
        builder.AddOutbox<IdentityDb>();
        builder.AddAudit<IdentityDb>("identity");
        builder.Services.AddScoped<InstitutionOnboarding>();
        builder.Services.AddScoped<PeopleAdministration>();
        builder.Services.AddScoped<LearnerVerification>();
        // The default real-name verifier; a host that composes a better one (the standalone host: recognition's) wins.
        builder.Services.TryAddScoped<ILearnerVerifier, ListedLearners>();
        // After the database's migrator (AddServiceDatabase), in this order: the demo's people first, so that the demo
        // never gets a bootstrapped administrator besides its own.
        if (options.SeedDemo)
        {
            builder.Services.AddHostedService<DemoSeed>();
        }

        if (options.SeedDemo || !string.IsNullOrWhiteSpace(options.PortalUrl))
        {
            builder.Services.AddHostedService<PortalClientRegistration>();
        }

        if (options.Bootstrap.IsSet)
        {
            builder.Services.AddHostedService<AdministratorBootstrap>();
        }

        var keys = SigningKeys.Load(options, DataFolder.Resolve(builder.Configuration));
        builder.Services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<IdentityDb>();
                // Disabled institutions and rotated-out secrets in their grace period (InstitutionClients).
                core.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, InstitutionClients>();
            })
            .AddServer(server =>
            {
                if (!string.IsNullOrWhiteSpace(options.Issuer))
                {
                    server.SetIssuer(new Uri(options.Issuer, UriKind.Absolute));
                }

                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetEndSessionEndpointUris("connect/logout");
                server.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow()
                    .RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow();
                // PKCE with S256 only: "plain" sends the verifier itself as the challenge (RFC 7636 §7.2). Discovery
                // advertises only S256 and the authorization endpoint refuses plain.
                server.Configure(o => o.CodeChallengeMethods.Remove(OpenIddictConstants.CodeChallengeMethods.Plain));
                server.AddEventHandler(IntrospectionCallers.Descriptor);
                server.RegisterScopes([.. Scopes.All, OpenIddictConstants.Scopes.OpenId, OpenIddictConstants.Scopes.Profile,
                    OpenIddictConstants.Scopes.Roles, OpenIddictConstants.Scopes.OfflineAccess]);
                server.AddSigningKey(keys.Signing).AddEncryptionKey(keys.Encryption);
                // Access tokens are signed JWTs that every service validates with the published keys (JWKS).
                server.DisableAccessTokenEncryption();
                server.SetAccessTokenLifetime(options.AccessTokenLifetime);
                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                if (options.AllowHttp)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });

        builder.Services.AddAuthentication().AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, cookie =>
        {
            cookie.LoginPath = "/account/login";
            cookie.Cookie.Name = "creditbank.signin";
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.ExpireTimeSpan = options.SessionLifetime;
        });

        // Failed sign-ins and token requests (right or wrong secret) are limited per client address.
        builder.Services.Configure<RateLimiterOptions>(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Every 429 says when to come back: the fixed window's remaining time, or a minute.
            limiter.OnRejected = (context, _) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(Math.Max(1, wait.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Request.Method == HttpMethods.Post && http.Request.Path.Value is "/connect/token" or "/account/login" or "/account/register"
                    ? RateLimitPartition.GetFixedWindowLimiter($"{http.Request.Path}|{http.Connection.RemoteIpAddress}", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.AttemptsPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(string.Empty));
        });
        builder.Services.TryAddScoped(sp => (InstitutionClients)sp.GetRequiredService<IOpenIddictApplicationManager>());
        return builder;
    }

    public static IEndpointRouteBuilder MapIdentityProvider(this IEndpointRouteBuilder app)
    {
        app.MapGet("/connect/authorize", AuthorizationEndpoint.Authorize).AllowAnonymous();
        app.MapMethods("/connect/logout", [HttpMethods.Get, HttpMethods.Post], (Delegate)AuthorizationEndpoint.EndSession).AllowAnonymous();
        app.MapPost("/connect/token", TokenEndpoint.Exchange).AllowAnonymous().DisableAntiforgery();
        app.MapGet("/account/login", SignInPage.Show).AllowAnonymous();
        app.MapPost("/account/login", SignInPage.SignIn).AllowAnonymous();
        app.MapGet("/account/signed-in", SignInPage.SignedIn).AllowAnonymous();
        app.MapGet("/account/register", RegistrationPage.Show).AllowAnonymous();
        app.MapPost("/account/register", RegistrationPage.Register).AllowAnonymous();
        app.MapGrpcService<AdministrationGrpcService>();
        app.MapAudit();
        return app;
    }
}
