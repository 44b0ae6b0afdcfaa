using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CreditBank.Credentials.Domain;

public enum VerificationStatus
{
    Verified,
    Revoked,
    Invalid,
}

/// <summary>Why a credential is not verified: an UPPER_SNAKE_CASE code (docs/credentials.md) and words.</summary>
public sealed record VerificationReason(string Code, string Message);

/// <summary>What the bank's verifier found about one credential (and, for a transcript, each embedded one).</summary>
public sealed record Verification
{
    public required VerificationStatus Status { get; init; }
    public IReadOnlyList<VerificationReason> Reasons { get; init; } = [];
    public string? CredentialId { get; init; }
    public string? CredentialType { get; init; }
    public string? IssuerId { get; init; }
    public string? Name { get; init; }
    public DateTimeOffset? ValidFrom { get; init; }
    public IReadOnlyList<Verification> Entries { get; init; } = [];

    public static Verification Invalid(string code, string message) => new() { Status = VerificationStatus.Invalid, Reasons = [new(code, message)] };
}

/// <summary>
/// The bank's own verifier, as the public verification endpoint answers: the signature against the JWK Set (ES256 only),
/// the VC-JWT claims mirroring the credential, the validity period, the status bit, and for a transcript each embedded
/// credential on its own. (Independent verifiers do the same with their own code: docs/credentials.md.)
/// </summary>
/// <param name="revokedBits">The current revoked bits of a status list, by its URL; null for a list the bank does not publish.</param>
public sealed class CredentialVerifier(CredentialsOptions options, IssuerKeyRing keys, Func<string, CancellationToken, ValueTask<byte[]?>> revokedBits)
{
    public async Task<Verification> VerifyAsync(string jwt, DateTimeOffset now, CancellationToken ct)
    {
        var check = Jws.Verify(jwt, keys);
        if (!check.Valid)
        {
            return Verification.Invalid(check.Code!, check.Message!);
        }

        JsonObject credential;
        try
        {
            credential = JsonNode.Parse(check.Payload) as JsonObject ?? throw new JsonException();
        }
        catch (JsonException)
        {
            return Verification.Invalid("MALFORMED", "The payload is not a JSON object.");
        }

        return await VerifyPayloadAsync(credential, now, ct);
    }

    private async Task<Verification> VerifyPayloadAsync(JsonObject credential, DateTimeOffset now, CancellationToken ct)
    {
        var reasons = new List<VerificationReason>();
        var types = Strings(credential["type"]);
        var id = Text(credential["id"]);
        var issuer = credential["issuer"] is JsonObject profile ? Text(profile["id"]) : Text(credential["issuer"]);
        var validFrom = Time(credential["validFrom"]);
        var type = types.Contains("ClrCredential") ? "ClrCredential"
            : types.Contains("OpenBadgeCredential") || types.Contains("AchievementCredential") ? "AchievementCredential"
            : null;
        var contexts = Strings(credential["@context"]);

        if (!types.Contains("VerifiableCredential") || type is null)
        {
            reasons.Add(new("NOT_A_CREDENTIAL", "type names neither an AchievementCredential (OpenBadgeCredential) nor a ClrCredential."));
        }

        if (contexts.FirstOrDefault() != CredentialFactory.VcContext || !contexts.Contains(CredentialFactory.ObContext)
            || (type == "ClrCredential" && !contexts.Contains(CredentialFactory.ClrContext)))
        {
            reasons.Add(new("CONTEXT_INVALID", "@context must start with the VC 2.0 context and name the OB 3.0 (and for a transcript the CLR 2.0) context."));
        }

        if (issuer != options.IssuerId)
        {
            reasons.Add(new("ISSUER_MISMATCH", $"The issuer is {issuer ?? "missing"}, not the bank ({options.IssuerId})."));
        }

        if (Text(credential["iss"]) != issuer || Text(credential["jti"]) != id || id is null
            || !(credential["nbf"] is JsonValue nbf && nbf.TryGetValue<long>(out var seconds) && validFrom is { } from && from.ToUnixTimeSeconds() == seconds))
        {
            reasons.Add(new("CLAIMS_MISMATCH", "iss, jti and nbf must mirror issuer.id, id and validFrom."));
        }

        if (validFrom is null)
        {
            reasons.Add(new("MALFORMED", "validFrom is missing or not a date-time."));
        }
        else if (validFrom > now.AddMinutes(5))
        {
            reasons.Add(new("NOT_YET_VALID", $"It is valid from {validFrom:O}."));
        }

        if (Time(credential["validUntil"]) is { } until && until < now)
        {
            reasons.Add(new("EXPIRED", $"It was valid until {until:O}."));
        }

        var status = reasons.Count > 0 ? VerificationStatus.Invalid : VerificationStatus.Verified;
        var entries = new List<Verification>();
        if (status == VerificationStatus.Verified && credential["credentialStatus"] is JsonObject entry)
        {
            var revoked = await RevokedAsync(entry, ct);
            if (revoked is null)
            {
                reasons.Add(new("STATUS_UNKNOWN", "The credential's status list entry names no list the bank publishes."));
                status = VerificationStatus.Invalid;
            }
            else if (revoked.Value)
            {
                reasons.Add(new("REVOKED", "Its status bit is set: the outcome it states was revoked."));
                status = VerificationStatus.Revoked;
            }
        }

        if (status == VerificationStatus.Verified && type == "ClrCredential")
        {
            var embedded = credential["credentialSubject"]?["verifiableCredential"] as JsonArray ?? [];
            foreach (var item in embedded.OfType<JsonObject>())
            {
                entries.Add(await VerifyEmbeddedAsync(item, now, ct));
            }

            if (embedded.Count == 0)
            {
                reasons.Add(new("MALFORMED", "A transcript embeds at least one credential."));
                status = VerificationStatus.Invalid;
            }
            else if (entries.Any(e => e.Status == VerificationStatus.Invalid))
            {
                reasons.Add(new("ENTRY_INVALID", "An embedded credential does not verify on its own."));
                status = VerificationStatus.Invalid;
            }
            else if (entries.Any(e => e.Status == VerificationStatus.Revoked))
            {
                reasons.Add(new("ENTRY_REVOKED", "An embedded credential is revoked: the outcome it states was revoked."));
                status = VerificationStatus.Revoked;
            }
        }

        return new Verification
        {
            Status = status,
            Reasons = reasons,
            CredentialId = id,
            CredentialType = type,
            IssuerId = issuer,
            Name = Text(credential["name"]),
            ValidFrom = validFrom,
            Entries = entries,
        };
    }

    /// <summary>An embedded credential verifies on its own: its JWT (its proof) verifies, and its payload is the JSON embedded.</summary>
    private async Task<Verification> VerifyEmbeddedAsync(JsonObject embedded, DateTimeOffset now, CancellationToken ct)
    {
        var jwt = (embedded["proof"] as JsonArray ?? [])
            .OfType<JsonObject>().Where(p => Text(p["type"]) == CredentialFactory.EmbeddedProofType).Select(p => Text(p["jwt"])).FirstOrDefault();
        if (jwt is null)
        {
            return Verification.Invalid("PROOF_MISSING", "An embedded credential carries its VC-JWT as a JwtProof2020 proof.") with { CredentialId = Text(embedded["id"]) };
        }

        var verified = await VerifyAsync(jwt, now, ct);
        var copy = (JsonObject)embedded.DeepClone();
        copy.Remove("proof");
        var check = Jws.Verify(jwt, keys);
        if (check.Valid && !JsonNode.DeepEquals(JsonNode.Parse(check.Payload), copy))
        {
            return Verification.Invalid("EMBEDDED_MISMATCH", "The embedded JSON differs from the payload of its own VC-JWT.") with { CredentialId = Text(embedded["id"]) };
        }

        return verified;
    }

    private async Task<bool?> RevokedAsync(JsonObject entry, CancellationToken ct)
    {
        if (Text(entry["type"]) != "BitstringStatusListEntry" || Text(entry["statusPurpose"]) != "revocation"
            || Text(entry["statusListCredential"]) is not { } list
            || !int.TryParse(Text(entry["statusListIndex"]), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return null;
        }

        var bits = await revokedBits(list, ct);
        return bits is null || index >= bits.Length * 8 ? null : StatusBits.Get(bits, index);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    private static List<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => [.. array.Select(Text).OfType<string>()],
        JsonValue value when Text(value) is { } s => [s],
        _ => [],
    };

    private static DateTimeOffset? Time(JsonNode? node) =>
        Text(node) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
