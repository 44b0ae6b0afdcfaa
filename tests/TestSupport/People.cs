using CreditBank.Identity;
using CreditBank.Identity.Data;
using CreditBank.Identity.Domain;
using CreditBank.PersonalData;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CreditBank.TestSupport;

/// <summary>People the identity service knows, put there as its verification would (实名认证), for stories to sign in as.</summary>
public static class People
{
    /// <summary>
    /// A verified learner with a login on <paramref name="host"/>'s identity service, bound to
    /// <paramref name="documentNumber"/> (a 居民身份证 number): their token, signed in as a person signs in.
    /// </summary>
    public static async Task<string> VerifiedLearnerAsync(ServiceHost host, string userName, string documentNumber)
    {
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            IdentityDocument.TryParse(DocumentType.ResidentIdCard, documentNumber, out var document, out _);
            var person = new Person
            {
                Id = Guid.CreateVersion7(), UserName = userName, PasswordHash = string.Empty, DisplayName = userName, Role = "learner",
                DocumentHash = scope.ServiceProvider.GetRequiredService<DocumentProtector>().Hash(document!), CreatedAt = DateTimeOffset.UtcNow,
            };
            person.PasswordHash = new PasswordHasher<Person>().HashPassword(person, "pw-" + userName);
            db.People.Add(person);
            await db.SaveChangesAsync();
        }

        return await Tokens.ForPersonAsync(host.Handler, userName, "pw-" + userName);
    }
}
