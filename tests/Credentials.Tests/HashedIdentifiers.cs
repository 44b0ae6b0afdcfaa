using CreditBank.Credentials.Domain;

namespace CreditBank.Credentials.Tests;

/// <summary>Who a credential is about: a salted SHA-256 of the learner's document number, never the number.</summary>
public sealed class HashedIdentifiers(CredentialsBank bank) : IClassFixture<CredentialsBank>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public void The_open_badges_test_vector_hashes_as_the_specification_says() =>
        Assert.Equal("sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399", IdentityHash.Of("a@example.com", "Kosher"));

    [Fact]
    public async Task A_credential_names_its_holder_by_a_fresh_salted_hash_of_their_document_and_never_the_number()
    {
        var document = Requests.ResidentId(411);
        var token = await bank.LearnerAsync(document);
        var outcome = await bank.BankedAsync(Requests.Course(documentNumber: document), _ct);
        var another = await bank.BankedAsync(Requests.Course(documentNumber: document), _ct);

        var first = (await bank.As(token).IssueOutcomeCredentialAsync(new() { OutcomeId = outcome }, cancellationToken: _ct)).Credential.Jwt;
        var second = (await bank.As(token).IssueOutcomeCredentialAsync(new() { OutcomeId = another }, cancellationToken: _ct)).Credential.Jwt;
        var identity = CredentialsBank.Payload(first)["credentialSubject"]!["identifier"]![0]!.AsObject();
        var other = CredentialsBank.Payload(second)["credentialSubject"]!["identifier"]![0]!.AsObject();
        var salt = identity["salt"]!.GetValue<string>();

        Assert.True(identity["hashed"]!.GetValue<bool>());
        Assert.Equal("nationalIdentityNumber", identity["identityType"]!.GetValue<string>());
        Assert.Equal(IdentityHash.Of(document, salt), identity["identityHash"]!.GetValue<string>());
        Assert.NotEqual(identity["identityHash"]!.GetValue<string>(), other["identityHash"]!.GetValue<string>());
        Assert.DoesNotContain(document, System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(first.Split('.')[1])));
        Assert.DoesNotContain(document, first);
    }
}
