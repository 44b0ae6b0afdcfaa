using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace CreditBank.Grpc.Security;

/// <summary>Bound from <c>Authentication</c>.</summary>
public sealed class AuthenticationOptions
{
    public const string Section = "Authentication";

    /// <summary>
    /// The identity service's issuer URL (e.g. <c>http://identity:5301/</c>): tokens are validated as JWTs with the keys
    /// its discovery document publishes. Empty: the identity module runs in this same process (the standalone host).
    /// </summary>
    public string Authority { get; set; } = string.Empty;
}

/// <summary>
/// Every service accepts only tokens from the identity service, validated by OpenIddict — never parsed by hand — and
/// remembered once valid (<see cref="RememberedTokens"/>).
/// </summary>
public static class TokenValidation
{
    public static IHostApplicationBuilder AddTokenValidation(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AuthenticationOptions.Section).Get<AuthenticationOptions>() ?? new AuthenticationOptions();
        builder.Services.AddOpenIddict().AddValidation(validation =>
        {
            if (string.IsNullOrWhiteSpace(options.Authority))
            {
                validation.UseLocalServer();
            }
            else
            {
                validation.SetIssuer(new Uri(options.Authority, UriKind.Absolute));
                validation.UseSystemNetHttp();
            }

            validation.UseAspNetCore();
        });

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<RememberedTokens>();
        // The default scheme: the authentication middleware authenticates every request with it once, and the policies
        // below name no scheme of their own, so that they judge that principal. A policy that named the scheme made the
        // policy evaluator ask for it again (answered from the handler's per-request result) and merge a new principal:
        // ~5% of a cached GetAccount (docs/performance.md, "Reads").
        builder.Services.AddAuthentication(BearerTokenHandler.Name)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.Name, _ => { });
        builder.Services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, BearerSchemes>());
        builder.Services.AddAuthorization(authorization =>
        {
            foreach (var scope in Scopes.All)
            {
                authorization.AddPolicy(scope, policy => policy
                    .RequireAuthenticatedUser()
                    .RequireAssertion(context => Caller.Of(context.User).Has(scope)));
            }

            authorization.AddPolicy(Policies.OutcomesRead, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => Caller.Of(context.User) is var caller
                    && (caller.Has(Scopes.OutcomesSubmit) || caller.Has(Scopes.OutcomesReview) || caller.Has(Scopes.AccountsRead) || caller.Has(Scopes.Admin))));

            authorization.AddPolicy(Policies.ConversionsRead, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => Caller.Of(context.User) is var caller
                    && (caller.Has(Scopes.ConversionsApply) || caller.Has(Scopes.ConversionsDecide) || caller.Has(Scopes.OutcomesReview) || caller.Has(Scopes.Admin))));

            authorization.AddPolicy(Policies.OutcomeChangesRead, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => Caller.Of(context.User) is var caller && (caller.Has(Scopes.OutcomesFeed) || caller.Has(Scopes.Admin))));

            // Anything not marked otherwise needs a valid token; health and reflection opt out explicitly.
            authorization.FallbackPolicy = new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .Build();
        });
        return builder;
    }
}
