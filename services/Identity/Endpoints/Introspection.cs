using System.Text.Json;
using CreditBank.Identity.Data;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CreditBank.Identity.Endpoints;

/// <summary>
/// <c>POST /connect/introspect</c>: who may learn what a token says. The client the token was issued to may; so may a
/// resource server (a client registered with the role <see cref="ResourceServerRole"/>), which checks tokens callers
/// bring it. Any other client hears <c>{"active": false}</c>, as for a token that does not exist (RFC 7662 §2.2):
/// a confidential client must not read another client's token.
/// </summary>
internal sealed class IntrospectionCallers(IOpenIddictApplicationManager applications) : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateIntrospectionRequestContext>
{
    public const string ResourceServerRole = "resource-server";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor
        .CreateBuilder<OpenIddictServerEvents.ValidateIntrospectionRequestContext>()
        .UseScopedHandler<IntrospectionCallers>()
        .SetOrder(OpenIddictServerHandlers.Introspection.ValidateAuthorizedParty.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(OpenIddictServerEvents.ValidateIntrospectionRequestContext context)
    {
        if (context.GenericTokenPrincipal is not { } token || string.IsNullOrEmpty(context.ClientId))
        {
            return;
        }

        var own = token.HasPresenter(context.ClientId) || token.GetClaim(Claims.ClientId) == context.ClientId
            || (token.GetPresenters().IsEmpty && token.GetClaim(Claims.Subject) == context.ClientId);
        if (own || await IsResourceServerAsync(context.ClientId, context.CancellationToken))
        {
            return;
        }

        context.Reject(Errors.InvalidToken, "The token was not issued to this client.");
    }

    private async Task<bool> IsResourceServerAsync(string clientId, CancellationToken ct)
    {
        var application = await applications.FindByClientIdAsync(clientId, ct);
        if (application is null)
        {
            return false;
        }

        var properties = await applications.GetPropertiesAsync(application, ct);
        return properties.TryGetValue(ClientProperties.Role, out var role) && role.ValueKind == JsonValueKind.String && role.GetString() == ResourceServerRole;
    }
}
