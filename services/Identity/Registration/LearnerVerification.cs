using CreditBank.Grpc.Security;
using CreditBank.Identity.Data;
using CreditBank.Identity.Domain;
using CreditBank.PersonalData;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Identity.Registration;

/// <summary>
/// Learners who register themselves (学习者注册): their login is created at once, and bound to their account (the
/// <c>document_hash</c> claim that lets them read it) only once <see cref="ILearnerVerifier"/> confirmed their document.
/// </summary>
internal sealed partial class LearnerVerification(IdentityDb db, ILearnerVerifier verifier, DocumentProtector documents, TimeProvider time,
    ILogger<LearnerVerification> logger)
{
    public sealed record Registered(Person Person, bool Verified);

    /// <summary>Null when registered; otherwise why not, for the page to show.</summary>
    public async Task<(Registered? Registered, string? Problem)> RegisterAsync(string userName, string password, string name, IdentityDocument document,
        string? contact, CancellationToken ct)
    {
        var hash = documents.Hash(document);
        if (await db.People.AnyAsync(p => p.UserName == userName, ct))
        {
            return (null, "This user name is taken; choose another (用户名已被使用).");
        }

        if (await db.People.AnyAsync(p => p.DocumentHash == hash, ct))
        {
            return (null, "A login is already bound to this document: sign in with it, or ask an administrator (该证件已注册).");
        }

        var person = new Person
        {
            Id = Guid.CreateVersion7(),
            UserName = userName,
            PasswordHash = string.Empty,
            DisplayName = name,
            Role = Roles.Learner,
            Contact = contact,
            PendingDocumentSealed = documents.Seal(document),
            PendingDocumentType = (int)document.Type,
            CreatedAt = time.GetUtcNow(),
        };
        person.PasswordHash = new PasswordHasher<Person>().HashPassword(person, password);
        db.People.Add(person);
        var verified = await TryVerifyAsync(person, document, ct);
        await db.SaveChangesAsync(ct);
        LogRegistered(person.Id, verified);
        return (new Registered(person, verified), null);
    }

    /// <summary>Asks the verifier again about a learner still waiting for verification; the caller saves.</summary>
    public async Task TryBindAsync(Person person, CancellationToken ct)
    {
        if (person.Role != Roles.Learner || person.PendingDocumentSealed is null || person.PendingDocumentType is null)
        {
            return;
        }

        if (IdentityDocument.TryParse((DocumentType)person.PendingDocumentType.Value, documents.Unseal(person.PendingDocumentSealed), out var document, out _)
            && await TryVerifyAsync(person, document!, ct))
        {
            LogBound(person.Id);
        }
    }

    private async Task<bool> TryVerifyAsync(Person person, IdentityDocument document, CancellationToken ct)
    {
        if (!await verifier.VerifyAsync(document, person.DisplayName, ct))
        {
            return false;
        }

        var hash = documents.Hash(document);
        if (await db.People.AnyAsync(p => p.DocumentHash == hash && p.Id != person.Id, ct))
        {
            // Another login holds this document already: this one stays unbound, for an administrator to look at.
            return false;
        }

        person.Verified(hash);
        return true;
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Learner {PersonId} registered; verified: {Verified}")]
    private partial void LogRegistered(Guid personId, bool verified);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Learner {PersonId} verified at sign-in: the login now reads their account")]
    private partial void LogBound(Guid personId);
}

/// <summary>
/// The verifier when nothing better is composed: the learners listed in <c>Identity:VerifiedLearners</c> (document hash
/// and name). The standalone host composes recognition's instead, which matches what institutions submitted; a real-name
/// (实名认证) provider replaces both by registering its own <see cref="ILearnerVerifier"/>.
/// </summary>
internal sealed class ListedLearners(Microsoft.Extensions.Options.IOptions<IdentityOptions> options, DocumentProtector documents) : ILearnerVerifier
{
    public Task<bool> VerifyAsync(IdentityDocument document, string name, CancellationToken cancellationToken)
    {
        var hash = documents.Hash(document);
        return Task.FromResult(options.Value.VerifiedLearners.Any(l => l.DocumentType == (int)document.Type && l.DocumentHash == hash && l.Name == name));
    }
}
