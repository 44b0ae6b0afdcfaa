using System.Text.Json;
using CreditBank.Grpc.Security;
using CreditBank.Identity.Domain;
using CreditBank.PersonalData;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CreditBank.Identity.Data;

/// <summary>
/// Registers the demo clients and people listed in docs/api.md, "Tokens per role" (embedded default and tests only, <c>Identity:SeedDemo</c>).
/// Their secrets are in the repository precisely because they are demo secrets; production clients are registered by
/// an administrator with secrets from a secret store.
/// </summary>
internal sealed partial class DemoSeed(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<DemoSeed> logger) : IHostedService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var clients = await ReadAsync<DemoClient>("demo-clients.json", cancellationToken);
        var options = configuration.GetSection(IdentityOptions.Section).Get<IdentityOptions>() ?? new IdentityOptions();
        var portal = string.IsNullOrWhiteSpace(options.PortalUrl) ? options.Issuer : options.PortalUrl;
        foreach (var client in clients)
        {
            var descriptor = client.ToDescriptor(portal);
            if (await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is not { } existing)
            {
                await applications.CreateAsync(descriptor, cancellationToken);
            }
            else if (client.ClientSecret is null)
            {
                // A public client's addresses follow where the portal is served now (a data folder outlives a port change);
                // confidential clients are left alone: rewriting them would hash their secrets again at every start.
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            }
        }

        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var documents = scope.ServiceProvider.GetRequiredService<DocumentProtector>();
        var hasher = new PasswordHasher<Person>();
        var people = await ReadAsync<DemoPerson>("demo-people.json", cancellationToken);
        var known = await db.People.Select(p => p.UserName).ToListAsync(cancellationToken);
        foreach (var demo in people.Where(p => !known.Contains(p.UserName)))
        {
            string? documentHash = null;
            if (demo.DocumentNumber is not null)
            {
                IdentityDocument.TryParse((DocumentType)demo.DocumentType, demo.DocumentNumber, out var document, out var problem);
                documentHash = documents.Hash(document ?? throw new InvalidOperationException($"Demo person {demo.UserName}: {problem}"));
            }

            var person = new Person
            {
                Id = Guid.CreateVersion7(),
                UserName = demo.UserName,
                PasswordHash = string.Empty,
                DisplayName = demo.DisplayName,
                Role = demo.Role,
                Workstation = demo.Workstation,
                DocumentHash = documentHash,
                CreatedAt = DateTimeOffset.UtcNow,
            };
            person.PasswordHash = hasher.HashPassword(person, demo.Password);
            db.People.Add(person);
        }

        await db.SaveChangesAsync(cancellationToken);
        LogSeeded(clients.Count, people.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<List<T>> ReadAsync<T>(string file, CancellationToken ct)
    {
        await using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Data", "Seed", file));
        return await JsonSerializer.DeserializeAsync<List<T>>(stream, Json, ct) ?? [];
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Demo identities ready: {Clients} clients, {People} people")]
    private partial void LogSeeded(int clients, int people);

    private sealed record DemoPerson(string UserName, string Password, string DisplayName, string Role, string? Workstation,
        int DocumentType, string? DocumentNumber);

    private sealed record DemoClient(string ClientId, string? ClientSecret, string DisplayName, string Role, string? InstitutionCode,
        string? PartnerCode, string[] Scopes, string[]? RedirectUris, string[]? PostLogoutRedirectUris)
    {
        /// <param name="portal">Where the portal is served: replaces <c>{portal}</c> in the redirect URIs (an entry needing it is left out when unknown).</param>
        public OpenIddictApplicationDescriptor ToDescriptor(string portal)
        {
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = ClientId,
                ClientSecret = ClientSecret,
                DisplayName = DisplayName,
                ClientType = ClientSecret is null ? ClientTypes.Public : ClientTypes.Confidential,
                ConsentType = ConsentTypes.Implicit,
            };
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.Endpoints.Revocation]);
            descriptor.Permissions.UnionWith(Scopes.Select(s => Permissions.Prefixes.Scope + s));
            if (ClientSecret is not null)
            {
                descriptor.Permissions.UnionWith([Permissions.GrantTypes.ClientCredentials, Permissions.Endpoints.Introspection]);
            }
            else
            {
                // A public client (the portal): people sign in with the authorization code flow and PKCE.
                descriptor.Permissions.UnionWith([
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.EndSession,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken,
                    Permissions.ResponseTypes.Code, Permissions.Scopes.Profile, Permissions.Scopes.Roles,
                ]);
                descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
                foreach (var uri in Resolved(RedirectUris, portal))
                {
                    descriptor.RedirectUris.Add(uri);
                }

                foreach (var uri in Resolved(PostLogoutRedirectUris, portal))
                {
                    descriptor.PostLogoutRedirectUris.Add(uri);
                }
            }

            descriptor.Properties[ClientProperties.Role] = JsonSerializer.SerializeToElement(Role);
            if (InstitutionCode is not null)
            {
                descriptor.Properties[ClientProperties.InstitutionCode] = JsonSerializer.SerializeToElement(InstitutionCode);
            }

            if (PartnerCode is not null)
            {
                descriptor.Properties[ClientProperties.PartnerCode] = JsonSerializer.SerializeToElement(PartnerCode);
            }

            return descriptor;
        }

        private static IEnumerable<Uri> Resolved(string[]? uris, string portal) =>
            (uris ?? []).Where(u => !u.Contains("{portal}", StringComparison.Ordinal) || portal.Length > 0)
                .Select(u => new Uri(u.Replace("{portal}", portal.EndsWith('/') ? portal : portal + "/", StringComparison.Ordinal)));
    }
}

/// <summary>What the bank keeps about a client beside OpenIddict's fields (in its Properties).</summary>
internal static class ClientProperties
{
    public const string Role = "creditbank_role";
    public const string InstitutionCode = BankClaims.InstitutionCode;
    public const string PartnerCode = BankClaims.PartnerCode;
}
