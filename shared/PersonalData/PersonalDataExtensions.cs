using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CreditBank.PersonalData;

public static class PersonalDataExtensions
{
    /// <summary>Registers <see cref="DocumentProtector"/> with keys from configuration, checked at start-up.</summary>
    public static IServiceCollection AddDocumentProtection(this IServiceCollection services)
    {
        services.AddOptions<DocumentProtectionOptions>().BindConfiguration(DocumentProtectionOptions.Section);
        services.TryAddSingleton<DocumentProtector>();
        return services;
    }
}
