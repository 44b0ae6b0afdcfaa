using System.Globalization;
using CreditBank.Portal.Bank;
using CreditBank.Portal.Components;
using CreditBank.Portal.Session;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CreditBank.Portal;

/// <summary>
/// The portal as a module: its pages, its sign-in and the clients it calls the services with. Used by its own
/// Program.cs and by the standalone host (served at the host's root, beside the services' REST routes).
/// </summary>
public static class PortalModule
{
    public static readonly CultureInfo[] Cultures = [new("zh-CN"), new("en")];

    public const string CultureCookie = "creditbank.culture";

    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        var ownGrpc = (builder.Configuration["Kestrel:Endpoints:Grpc:Url"] ?? string.Empty).Replace("0.0.0.0", "127.0.0.1");
        options.Authority = Or(options.Authority, builder.Configuration["Identity:Issuer"]);
        options.Identity = Or(options.Identity, ownGrpc);
        options.Recognition = Or(options.Recognition, ownGrpc);
        options.Accounts = Or(options.Accounts, ownGrpc);
        options.Conversion = Or(options.Conversion, ownGrpc);
        options.Credentials = Or(options.Credentials, ownGrpc);
        builder.Services.AddSingleton(options);

        builder.Services.AddRazorComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddLocalization();
        builder.AddPortalSignIn(options);
        builder.Services.AddSingleton<BankChannels>();
        builder.Services.AddScoped<BankCalls>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<BatchFiles>();
        return builder;
    }

    /// <summary>The portal's pages and endpoints; call after the host's authentication, authorization and antiforgery middleware.</summary>
    public static WebApplication MapPortal(this WebApplication app)
    {
        // Only the portal's own requests get its culture and security headers: the services' REST answers stay as they are.
        app.UseWhen(http => http.GetEndpoint()?.Metadata.GetMetadata<PortalEndpoint>() is not null, portal =>
        {
            var localization = new RequestLocalizationOptions
            {
                DefaultRequestCulture = new RequestCulture(Cultures[0]),
                SupportedCultures = Cultures,
                SupportedUICultures = Cultures,
            };
            // The person's choice (the switch in the header) and nothing else: Chinese first, whatever the browser says.
            localization.RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = CultureCookie }];
            portal.UseRequestLocalization(localization);
            portal.Use(SecurityHeaders.WriteAsync);
        });

        app.MapRazorComponents<App>().Add(endpoint => endpoint.Metadata.Add(PortalEndpoint.Marker));
        app.MapPortalEndpoints();
        app.MapInstitutionEndpoints();
        return app;
    }

    private static string Or(string value, string? fallback) => string.IsNullOrWhiteSpace(value) ? fallback ?? string.Empty : value;
}

/// <summary>Marks the portal's endpoints (pages, sign-in, culture switch, stylesheet) among the host's.</summary>
public sealed class PortalEndpoint
{
    public static readonly PortalEndpoint Marker = new();
}
