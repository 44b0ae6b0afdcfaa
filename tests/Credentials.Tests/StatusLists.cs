using System.Buffers.Text;
using System.IO.Compression;
using System.Net;
using System.Numerics;
using CreditBank.Credentials.Domain;

namespace CreditBank.Credentials.Tests;

/// <summary>A status list as a verifier reads it: the bits decoded from the served credential, and its caching headers.</summary>
public sealed record StatusList(string ETag, string? CacheControl, string? ContentType, Bitstring Bits, System.Text.Json.Nodes.JsonObject Credential)
{
    public static async Task<StatusList> ReadAsync(CredentialsBank bank, string url, CancellationToken ct)
    {
        using var response = await bank.GetAsync(url, ct);
        response.EnsureSuccessStatusCode();
        var jwt = await response.Content.ReadAsStringAsync(ct);
        var credential = CredentialsBank.Payload(jwt);
        var encoded = credential["credentialSubject"]!["encodedList"]!.GetValue<string>();
        Assert.StartsWith("u", encoded);
        using var gzip = new GZipStream(new MemoryStream(Base64Url.DecodeFromChars(encoded.AsSpan(1))), CompressionMode.Decompress);
        using var bits = new MemoryStream();
        await gzip.CopyToAsync(bits, ct);
        return new StatusList(response.Headers.ETag!.Tag, response.Headers.CacheControl?.ToString(), response.Content.Headers.ContentType?.MediaType,
            new Bitstring(bits.ToArray()), credential);
    }
}

/// <summary>Bits as the Bitstring Status List defines them: index 0 is the leftmost bit of the first byte.</summary>
public sealed record Bitstring(byte[] Bytes)
{
    public bool Get(int index) => (Bytes[index / 8] & (1 << (7 - index % 8))) != 0;

    public int Count() => Bytes.Sum(b => BitOperations.PopCount(b));

    public int Length => Bytes.Length * 8;
}

public sealed class StatusListServing(CredentialsBank bank) : IClassFixture<CredentialsBank>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_status_list_is_a_signed_public_credential_of_at_least_131072_entries_with_caching_headers()
    {
        var document = Requests.ResidentId(401);
        var token = await bank.LearnerAsync(document);
        var outcome = await bank.BankedAsync(Requests.Course(documentNumber: document), _ct);
        var jwt = (await bank.As(token).IssueOutcomeCredentialAsync(new() { OutcomeId = outcome }, cancellationToken: _ct)).Credential.Jwt;
        var url = CredentialsBank.Payload(jwt)["credentialStatus"]!["statusListCredential"]!.GetValue<string>();

        var list = await StatusList.ReadAsync(bank, url, _ct);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, new Uri(url).PathAndQuery);
        conditional.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(list.ETag));
        using var notModified = await bank.Host.Rest.SendAsync(conditional, _ct);
        var verified = await bank.Anyone.VerifyCredentialAsync(new() { Jwt = await bank.TextAsync(url, _ct) }, cancellationToken: _ct);

        Assert.True(list.Bits.Length >= 131_072);
        Assert.Equal("application/vc+jwt", list.ContentType);
        Assert.Contains("max-age=30", list.CacheControl);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(["VerifiableCredential", "BitstringStatusListCredential"], list.Credential["type"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("revocation", list.Credential["credentialSubject"]!["statusPurpose"]!.GetValue<string>());
        Assert.Equal(url, list.Credential["id"]!.GetValue<string>());
        // Signed by the bank like any credential (the bank's verifier does not take it for an achievement, but its signature holds).
        Assert.DoesNotContain(verified.Reasons, r => r.Code is "SIGNATURE_INVALID" or "UNKNOWN_KEY" or "ALGORITHM_NOT_ALLOWED");
    }

    [Fact]
    public void Index_zero_is_the_leftmost_bit_and_the_list_is_gzipped_base64url_with_the_multibase_prefix_u()
    {
        var bits = StatusBits.With(StatusBits.Empty(131_072), 0);
        bits = StatusBits.With(bits, 9);

        var encoded = StatusBits.Encode(bits);
        using var gzip = new GZipStream(new MemoryStream(Base64Url.DecodeFromChars(encoded.AsSpan(1))), CompressionMode.Decompress);
        using var decoded = new MemoryStream();
        gzip.CopyTo(decoded);

        Assert.StartsWith("u", encoded);
        Assert.DoesNotContain("=", encoded);
        Assert.Equal(0b1000_0000, decoded.ToArray()[0]);
        Assert.Equal(0b0100_0000, decoded.ToArray()[1]);
        Assert.Equal(16_384, decoded.Length);
    }

    [Fact]
    public void An_index_is_chosen_at_random_among_the_unused_ones_only()
    {
        var used = Enumerable.Repeat((byte)0xFF, 16_384).ToArray();
        used[100] = 0b1111_1011; // free: index 100 × 8 + 5 = 805
        used[2000] = 0b0111_1111; // and 2000 × 8 = 16000

        var picked = Enumerable.Range(0, 200).Select(_ => StatusBits.PickUnused(used, 131_072)).ToHashSet();

        Assert.Equal(new HashSet<int> { 805, 16_000 }, picked);
        Assert.Equal(-1, StatusBits.PickUnused(Enumerable.Repeat((byte)0xFF, 16_384).ToArray(), 131_072));
    }
}
