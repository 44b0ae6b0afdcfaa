using System.Text.Json;
using CreditBank.Recognition.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CreditBank.Recognition.Data;

/// <summary>Loads the institution registry from <c>Data/Seed/institutions.json</c> at start-up (insert or update by code).</summary>
internal sealed partial class InstitutionSeed(IServiceScopeFactory scopes, ILogger<InstitutionSeed> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "Seed", "institutions.json");
        await using var file = File.OpenRead(path);
        var seeds = await JsonSerializer.DeserializeAsync<List<Institution>>(file, new JsonSerializerOptions(JsonSerializerDefaults.Web), cancellationToken)
            ?? [];

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecognitionDb>();
        var existing = await db.Institutions.ToDictionaryAsync(i => i.Code, cancellationToken);
        foreach (var seed in seeds)
        {
            if (existing.TryGetValue(seed.Code, out var institution))
            {
                (institution.Name, institution.Kind, institution.Region, institution.IsTrustedIssuer) =
                    (seed.Name, seed.Kind, seed.Region, seed.IsTrustedIssuer);
            }
            else
            {
                db.Institutions.Add(seed);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        LogSeeded(seeds.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Institution registry loaded: {Count} institutions")]
    private partial void LogSeeded(int count);
}
