using System.Security.Cryptography;
using CreditBank.PersonalData;
using Microsoft.Extensions.Options;

namespace CreditBank.Security.Tests;

/// <summary>A document number's sealed copy (AES-256-GCM): read back only with its key, never the same twice.</summary>
public sealed class DocumentSealing
{
    private const string Number = "500228200501011237";

    [Fact]
    public void A_sealed_number_reads_back_with_its_key_and_two_seals_of_it_differ()
    {
        using var protector = Protector(seed: 1);
        var document = Document(Number);

        var (first, second) = (protector.Seal(document), protector.Seal(document));

        Assert.NotEqual(first, second); // a fresh nonce each time
        Assert.DoesNotContain(Number, first);
        Assert.Equal(Number, protector.Unseal(first));
        Assert.Equal(Number, protector.Unseal(second));
    }

    [Fact]
    public void A_number_sealed_with_another_key_does_not_read_back()
    {
        using var elsewhere = Protector(seed: 2);
        using var here = Protector(seed: 1);
        var sealedElsewhere = elsewhere.Seal(Document(Number));

        Assert.ThrowsAny<CryptographicException>(() => here.Unseal(sealedElsewhere));
    }

    [Fact]
    public async Task Numbers_sealed_on_many_threads_at_once_each_read_back_as_themselves()
    {
        using var protector = Protector(seed: 1);
        var numbers = new[] { "500228200501011237", "510104199903150029", "500103200107150025" };

        var seals = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() =>
        {
            var number = numbers[i % numbers.Length];
            return (number, sealedNumber: protector.Seal(Document(number)));
        }, TestContext.Current.CancellationToken)));

        Assert.All(seals, s => Assert.Equal(s.number, protector.Unseal(s.sealedNumber)));
    }

    private static DocumentProtector Protector(int seed) => new(Options.Create(new DocumentProtectionOptions
    {
        HashKey = Convert.ToBase64String(Enumerable.Range(seed, 32).Select(i => (byte)i).ToArray()),
        SealKey = Convert.ToBase64String(Enumerable.Range(seed * 50, 32).Select(i => (byte)i).ToArray()),
    }));

    private static IdentityDocument Document(string number) =>
        IdentityDocument.TryParse(DocumentType.ResidentIdCard, number, out var document, out var problem) ? document! : throw new ArgumentException(problem);
}
