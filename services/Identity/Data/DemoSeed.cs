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
internal sealed partial class DemoSeed(IServiceScopeFactory scopes, ILogger<DemoSeed> logger) : IHostedService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var clients = await ReadAsync<DemoClient>("demo-clients.json", cancellationToken);
        foreach (var client in clients)
        {
            // Created once: rewriting a confidential client would hash its secret again at every start. (The portal's
            // public client is not demo data: PortalClientRegistration keeps it up to date.)
            if (await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is null)
            {
                await applications.CreateAsync(client.ToDescriptor(), cancellationToken);
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
                InstitutionCode = demo.InstitutionCode,
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
        string? InstitutionCode, int DocumentType, string? DocumentNumber);

    private sealed record DemoClient(string ClientId, string ClientSecret, string DisplayName, string Role, string? InstitutionCode,
        string? PartnerCode, string[] Scopes)
    {
        public OpenIddictApplicationDescriptor ToDescriptor()
        {
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = ClientId,
                ClientSecret = ClientSecret,
                DisplayName = DisplayName,
                ClientType = ClientTypes.Confidential,
                ConsentType = ConsentTypes.Implicit,
            };
            descriptor.Permissions.UnionWith([
                Permissions.Endpoints.Token, Permissions.Endpoints.Revocation, Permissions.Endpoints.Introspection,
                Permissions.GrantTypes.ClientCredentials,
            ]);
            descriptor.Permissions.UnionWith(Scopes.Select(s => Permissions.Prefixes.Scope + s));
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
    }
}

/// <summary>What the bank keeps about a client beside OpenIddict's fields (in its Properties).</summary>
internal static class ClientProperties
{
    public const string Role = "creditbank_role";
    public const string InstitutionCode = BankClaims.InstitutionCode;
    public const string PartnerCode = BankClaims.PartnerCode;
}
