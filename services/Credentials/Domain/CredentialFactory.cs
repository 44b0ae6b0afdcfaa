using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CreditBank.Credentials.Domain;

/// <summary>
/// Builds and signs the bank's credentials: an OB 3.0 AchievementCredential per banked outcome or accepted
/// exemption, a CLR 2.0 ClrCredential (transcript) of them, and the Bitstring Status List credentials that revoke them.
/// Secured as VC-JWT: the credential is the JWT payload, with <c>iss</c>, <c>jti</c> and <c>nbf</c> mirroring
/// <c>issuer.id</c>, <c>id</c> and <c>validFrom</c> (there is no <c>sub</c>: the subject has no id, only a hashed identifier).
/// </summary>
public sealed class CredentialFactory(CredentialsOptions options, IssuerKeyRing keys)
{
    public const string VcContext = "https://www.w3.org/ns/credentials/v2";
    public const string ObContext = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
    public const string ClrContext = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json";
    public const string ObSchema = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";
    public const string ClrSchema = "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json";

    /// <summary>How an embedded credential carries its own VC-JWT inside a transcript.</summary>
    public const string EmbeddedProofType = "JwtProof2020";

    /// <summary>Chinese text as UTF-8, not \u escapes: the same JSON, a third of the size.</summary>
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public IssuerKeyRing Keys => keys;

    /// <summary>The credential of one banked outcome.</summary>
    public SignedCredential IssueOutcome(OutcomeStatement outcome, Holder holder, DateTimeOffset now) =>
        Sign(Achievement(Guid.NewGuid(), outcome.Title, OutcomeSubject(outcome, holder), outcome.Status, now));

    /// <summary>The credential of one accepted exemption.</summary>
    public SignedCredential IssueConversion(ConversionStatement conversion, Holder holder, DateTimeOffset now) =>
        Sign(Achievement(Guid.NewGuid(), ConversionName(conversion), ConversionSubject(conversion, holder), conversion.Status, now));

    /// <summary>
    /// A transcript of credentials issued before and kept (<paramref name="embedded"/>: each outcome's and exemption's own
    /// VC-JWT), with the associations from each exemption to the outcomes it used. Each is embedded as its JWT's payload —
    /// the credential exactly as it was signed — with the JWT itself as its <c>proof</c>: nothing embedded is parsed or
    /// signed again, only the transcript is signed. Only the envelope (~2 KB) is written as JSON; the payload is that
    /// envelope's head, the kept credentials' bytes and its tail copied into one pooled buffer, so what the bank keeps of
    /// a transcript is the envelope and its signature (<see cref="SignedTranscript.Kept"/>), not its ~700 KB.
    /// </summary>
    public SignedTranscript IssueTranscript(IReadOnlyList<KeptCredential> embedded, IReadOnlyList<OutcomeStatement> outcomes,
        IReadOnlyList<ConversionStatement> conversions, Holder holder, DateTimeOffset now)
    {
        var id = Guid.NewGuid();
        var validFrom = Seconds(now);
        var buffer = new ArrayBufferWriter<byte>(4096);
        int split;
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Encoder }))
        {
            json.WriteStartObject();
            Strings(json, "@context", [VcContext, ClrContext, ObContext]);
            json.WriteString("id", Urn(id));
            Strings(json, "type", ["VerifiableCredential", "ClrCredential"]);
            json.WriteString("name", "学分银行成绩单 (Transcript)");
            json.WritePropertyName("issuer");
            Issuer().WriteTo(json, Json);
            json.WriteString("validFrom", Timestamp(validFrom));
            json.WriteString("iss", options.IssuerId);
            json.WriteString("jti", Urn(id));
            json.WriteNumber("nbf", validFrom.ToUnixTimeSeconds());
            json.WriteString("description",
                $"{outcomes.Count} banked outcome(s) and {conversions.Count} credit conversion(s) of one learner, each embedded credential signed on its own.");
            json.WriteStartObject("credentialSubject");
            Strings(json, "type", ["ClrSubject"]);
            json.WriteStartArray("identifier");
            Identifier(holder).WriteTo(json, Json);
            json.WriteEndArray();
            json.WriteStartArray("verifiableCredential");
            // The embedded credentials go here, between the envelope's head and tail (TranscriptPayload).
            json.Flush();
            split = buffer.WrittenCount;
            json.WriteEndArray();
            Associations(json, outcomes, conversions);
            json.WriteEndObject();
            json.WriteStartArray("credentialSchema");
            json.WriteStartObject();
            json.WriteString("id", ClrSchema);
            json.WriteString("type", "1EdTechJsonSchemaValidator2019");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        var head = buffer.WrittenSpan[..split];
        var tail = buffer.WrittenSpan[split..];
        var jwt = TranscriptPayload(head, embedded, tail, payload => Jws.SignPooled(payload, keys.Active));
        var kept = new KeptTranscript(Encoding.UTF8.GetString(head), Encoding.UTF8.GetString(tail), jwt.Detached());
        return new SignedTranscript(id, jwt, keys.Active.KeyId, [.. embedded.Select(e => e.Id)], kept);
    }

    /// <summary>
    /// A transcript's VC-JWT again, byte for byte, from what was kept of it and the credentials it embeds (kept, so
    /// unchanged): the same payload put back between the same header and signature.
    /// </summary>
    public static string RebuildTranscript(KeptTranscript kept, IReadOnlyList<KeptCredential> embedded) =>
        TranscriptPayload(Encoding.UTF8.GetBytes(kept.Head), embedded, Encoding.UTF8.GetBytes(kept.Tail), payload => Jws.Attach(kept.DetachedJws, payload));

    /// <summary>The envelope's head, the embedded credentials separated by commas, and its tail, in one pooled buffer.</summary>
    private static T TranscriptPayload<T>(ReadOnlySpan<byte> head, IReadOnlyList<KeptCredential> embedded, ReadOnlySpan<byte> tail, PayloadSigner<T> secure)
    {
        var length = head.Length + tail.Length + Math.Max(0, embedded.Count - 1);
        foreach (var credential in embedded)
        {
            length += credential.Embedded.Length;
        }

        var payload = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            head.CopyTo(payload);
            var at = head.Length;
            for (var i = 0; i < embedded.Count; i++)
            {
                if (i > 0)
                {
                    payload[at++] = (byte)',';
                }

                embedded[i].Embedded.Span.CopyTo(payload.AsSpan(at));
                at += embedded[i].Embedded.Length;
            }

            tail.CopyTo(payload.AsSpan(at));
            return secure(payload.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    private delegate T PayloadSigner<T>(ReadOnlySpan<byte> payload);

    /// <summary>
    /// A kept credential as a transcript embeds it: its JWT's payload with <c>"proof":[{"type":"JwtProof2020","jwt":…}]</c>
    /// added before its closing brace (an array: the OB 3.0 schema's proof is a list of proofs). The payload is JSON this
    /// factory wrote and the JWT is base64url and dots, so neither needs parsing or escaping.
    /// </summary>
    internal static byte[] EmbeddedForm(string jwt)
    {
        var first = jwt.IndexOf('.', StringComparison.Ordinal);
        var second = jwt.IndexOf('.', first + 1);
        var encoded = jwt.AsSpan(first + 1, second - first - 1);
        var scratch = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(encoded.Length) + ProofStart.Length + jwt.Length + ProofEnd.Length);
        try
        {
            var length = Base64Url.DecodeFromChars(encoded, scratch);
            var close = scratch.AsSpan(0, length).LastIndexOf((byte)'}');
            if (close < 1)
            {
                throw new FormatException("A kept credential's payload is not a JSON object.");
            }

            var at = close;
            ProofStart.CopyTo(scratch.AsSpan(at));
            at += ProofStart.Length;
            at += Encoding.ASCII.GetBytes(jwt, scratch.AsSpan(at));
            ProofEnd.CopyTo(scratch.AsSpan(at));
            at += ProofEnd.Length;
            return scratch.AsSpan(0, at).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static readonly byte[] ProofStart = Encoding.UTF8.GetBytes($",\"proof\":[{{\"type\":\"{EmbeddedProofType}\",\"jwt\":\"");

    private static readonly byte[] ProofEnd = "\"}]}"u8.ToArray();

    /// <summary>From each exemption to the outcomes it used (<c>isRelatedTo</c>); nothing when there are none.</summary>
    private static void Associations(Utf8JsonWriter json, IReadOnlyList<OutcomeStatement> outcomes, IReadOnlyList<ConversionStatement> conversions)
    {
        var started = false;
        foreach (var conversion in conversions)
        {
            foreach (var outcome in outcomes.Where(o => conversion.OutcomeIds.Contains(o.OutcomeId)))
            {
                if (!started)
                {
                    json.WriteStartArray("association");
                    started = true;
                }

                json.WriteStartObject();
                json.WriteString("type", "Association");
                json.WriteString("associationType", "isRelatedTo");
                json.WriteString("sourceId", OutcomeAchievementId(outcome));
                json.WriteString("targetId", ConversionAchievementId(conversion));
                json.WriteEndObject();
            }
        }

        if (started)
        {
            json.WriteEndArray();
        }
    }

    private static void Strings(Utf8JsonWriter json, string name, string[] values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    /// <summary>The status list credential (BitstringStatusListCredential) of a list's current bits, signed.</summary>
    public string SignStatusList(int listId, ReadOnlySpan<byte> revoked, DateTimeOffset updatedAt)
    {
        var url = options.StatusListUrl(listId);
        var validFrom = Seconds(updatedAt);
        var credential = new JsonObject
        {
            ["@context"] = new JsonArray(VcContext),
            ["id"] = url,
            ["type"] = new JsonArray("VerifiableCredential", "BitstringStatusListCredential"),
            ["issuer"] = Issuer(),
            ["validFrom"] = Timestamp(validFrom),
            ["credentialSubject"] = new JsonObject
            {
                ["id"] = url + "#list",
                ["type"] = "BitstringStatusList",
                ["statusPurpose"] = "revocation",
                ["encodedList"] = StatusBits.Encode(revoked),
                ["ttl"] = (long)options.StatusListMaxAge.TotalMilliseconds,
            },
            ["iss"] = options.IssuerId,
            ["jti"] = url,
            ["nbf"] = validFrom.ToUnixTimeSeconds(),
        };
        return Jws.Sign(JsonSerializer.SerializeToUtf8Bytes(credential, Json), keys.Active);
    }

    /// <summary>The issuer's profile (also served at the issuer id).</summary>
    public JsonObject Issuer() => new()
    {
        ["id"] = options.IssuerId,
        ["type"] = new JsonArray("Profile"),
        ["name"] = options.IssuerName,
        ["url"] = options.PublicBaseUrl.TrimEnd('/'),
    };

    private JsonObject Achievement(Guid id, string name, JsonObject subject, StatusEntry status, DateTimeOffset now)
    {
        var credential = Envelope(id, ["VerifiableCredential", "OpenBadgeCredential"], [VcContext, ObContext], name, now);
        credential["credentialSubject"] = subject;
        credential["credentialSchema"] = new JsonArray(new JsonObject { ["id"] = ObSchema, ["type"] = "1EdTechJsonSchemaValidator2019" });
        var list = options.StatusListUrl(status.ListId);
        credential["credentialStatus"] = new JsonObject
        {
            ["id"] = $"{list}#{status.Index}",
            ["type"] = "BitstringStatusListEntry",
            ["statusPurpose"] = "revocation",
            ["statusListIndex"] = status.Index.ToString(CultureInfo.InvariantCulture),
            ["statusListCredential"] = list,
        };
        return credential;
    }

    private JsonObject Envelope(Guid id, string[] types, string[] contexts, string name, DateTimeOffset now)
    {
        var validFrom = Seconds(now);
        return new JsonObject
        {
            ["@context"] = new JsonArray([.. contexts.Select(c => (JsonNode)c)]),
            ["id"] = Urn(id),
            ["type"] = new JsonArray([.. types.Select(t => (JsonNode)t)]),
            ["name"] = name,
            ["issuer"] = Issuer(),
            ["validFrom"] = Timestamp(validFrom),
            ["iss"] = options.IssuerId,
            ["jti"] = Urn(id),
            ["nbf"] = validFrom.ToUnixTimeSeconds(),
        };
    }

    private SignedCredential Sign(JsonObject credential) => Sign(credential, Guid.Parse(((string)credential["id"]!)["urn:uuid:".Length..]));

    private SignedCredential Sign(JsonObject credential, Guid id)
    {
        var jwt = Jws.Sign(JsonSerializer.SerializeToUtf8Bytes(credential, Json), keys.Active);
        return new SignedCredential(id, credential, jwt, keys.Active.KeyId);
    }

    private JsonObject OutcomeSubject(OutcomeStatement outcome, Holder holder)
    {
        var achievement = new JsonObject
        {
            ["id"] = OutcomeAchievementId(outcome),
            ["type"] = new JsonArray("Achievement"),
            ["achievementType"] = AchievementType(outcome.Kind),
            ["name"] = outcome.Title,
            ["description"] = $"{KindName(outcome.Kind)}, recognised by the credit bank (学习成果认定) from institution {outcome.InstitutionCode}.",
            ["criteria"] = new JsonObject { ["narrative"] = Criteria(outcome) },
            ["creditsAvailable"] = (double)outcome.Credits,
            ["creator"] = Institution(outcome.InstitutionCode),
        };
        if ((outcome.UnitCode ?? outcome.CourseCode) is { } code)
        {
            achievement["humanCode"] = code;
        }

        if (outcome.UnitVersion is { } version)
        {
            achievement["version"] = version.ToString(CultureInfo.InvariantCulture);
        }

        if (outcome.FrameworkLevel is { } level and > 0)
        {
            achievement["alignment"] = new JsonArray(new JsonObject
            {
                ["type"] = new JsonArray("Alignment"),
                ["targetName"] = $"资历框架第 {level} 级 (qualifications framework level {level})",
                ["targetUrl"] = $"{options.PublicBaseUrl.TrimEnd('/')}/credentials/framework/levels/{level}",
                ["targetFramework"] = "CreditBank qualifications framework (资历框架)",
                ["targetCode"] = level.ToString(CultureInfo.InvariantCulture),
                ["targetType"] = "ext:FrameworkLevel",
            });
        }

        var subject = new JsonObject
        {
            ["type"] = new JsonArray("AchievementSubject"),
            ["identifier"] = new JsonArray(Identifier(holder)),
            ["achievement"] = achievement,
            ["creditsEarned"] = (double)outcome.Credits,
        };
        if (outcome.GradeValue is { Length: > 0 } grade)
        {
            var description = $"{achievement["id"]}#grade";
            achievement["resultDescription"] = new JsonArray(new JsonObject
            {
                ["id"] = description,
                ["type"] = new JsonArray("ResultDescription"),
                ["name"] = $"Grade ({outcome.GradeScheme})",
                ["resultType"] = ResultType(outcome.GradeScheme),
            });
            subject["result"] = new JsonArray(new JsonObject { ["type"] = new JsonArray("Result"), ["resultDescription"] = description, ["value"] = grade });
        }

        if (outcome.AchievedOn is { } on)
        {
            subject["activityEndDate"] = on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z";
        }

        return subject;
    }

    private JsonObject ConversionSubject(ConversionStatement conversion, Holder holder)
    {
        var achievement = new JsonObject
        {
            ["id"] = ConversionAchievementId(conversion),
            ["type"] = new JsonArray("Achievement"),
            ["achievementType"] = "Course",
            ["name"] = ConversionName(conversion),
            ["description"] = $"Exempted (免修免考) from {string.Join(", ", conversion.CourseCodes)} of programme {conversion.ProgrammeCode} " +
                $"by rule {conversion.RuleId} v{conversion.RuleVersion}, decided by institution {conversion.InstitutionCode}.",
            ["criteria"] = new JsonObject
            {
                ["narrative"] = $"Conversion rule {conversion.RuleId} version {conversion.RuleVersion}" +
                    (conversion.RuleDefinitionSha256 is { } hash ? $" (definition SHA-256 {hash})" : string.Empty) +
                    $", applied to banked outcome(s) {string.Join(", ", conversion.OutcomeIds)}.",
            },
            ["creditsAvailable"] = (double)conversion.Credits,
            ["creator"] = Institution(conversion.InstitutionCode),
            ["humanCode"] = string.Join(",", conversion.CourseCodes),
            ["version"] = conversion.RuleVersion.ToString(CultureInfo.InvariantCulture),
        };
        return new JsonObject
        {
            ["type"] = new JsonArray("AchievementSubject"),
            ["identifier"] = new JsonArray(Identifier(holder)),
            ["achievement"] = achievement,
            ["creditsEarned"] = (double)conversion.Credits,
            ["activityEndDate"] = Timestamp(Seconds(conversion.DecidedAt)),
        };
    }

    /// <summary>A fresh salt per credential: the same learner's credentials do not share a hash.</summary>
    private static JsonObject Identifier(Holder holder)
    {
        var salt = IdentityHash.NewSalt();
        return new JsonObject
        {
            ["type"] = "IdentityObject",
            ["hashed"] = true,
            ["identityHash"] = IdentityHash.Of(holder.Identifier, salt),
            ["identityType"] = IdentityHash.IdentityType(holder.DocumentType),
            ["salt"] = salt,
        };
    }

    private JsonObject Institution(string code) => new()
    {
        ["id"] = $"{options.PublicBaseUrl.TrimEnd('/')}/credentials/institutions/{code}",
        ["type"] = new JsonArray("Profile"),
        ["name"] = code,
        ["otherIdentifier"] = new JsonArray(new JsonObject { ["type"] = "IdentifierEntry", ["identifier"] = code, ["identifierType"] = "ext:institutionCode" }),
    };

    private static string OutcomeAchievementId(OutcomeStatement outcome) =>
        outcome.UnitCode is { } unit ? $"urn:creditbank:unit:{unit}:v{outcome.UnitVersion ?? 1}"
        : outcome.CourseCode is { } course ? $"urn:creditbank:course:{outcome.InstitutionCode}:{Uri.EscapeDataString(course)}"
        : $"urn:creditbank:outcome:{outcome.OutcomeId}";

    private static string ConversionAchievementId(ConversionStatement conversion) =>
        $"urn:creditbank:conversion:{conversion.ApplicationId}:{conversion.ItemNumber}";

    private static string ConversionName(ConversionStatement conversion) =>
        $"{string.Join(" ", conversion.CourseCodes)} 免修免考 · {conversion.ProgrammeCode}";

    private static string Criteria(OutcomeStatement outcome) =>
        outcome.UnitCode is { } unit
            ? $"Meets accreditation unit (认证单元) {unit} version {outcome.UnitVersion ?? 1}" +
              (outcome.UnitDefinitionSha256 is { } hash ? $" (definition SHA-256 {hash})." : ".")
            : outcome.GradeValue is { } grade
                ? $"Passed at institution {outcome.InstitutionCode} with grade {grade} ({outcome.GradeScheme})."
                : $"Completed as certified by institution {outcome.InstitutionCode}" + (outcome.Hours > 0 ? $" ({outcome.Hours} hours)." : ".");

    private static string AchievementType(string kind) => kind switch
    {
        "COURSE" => "Course",
        "SKILL_CERTIFICATE" or "SPECIAL_ABILITY" => "Certificate",
        "VOCATIONAL_QUALIFICATION" => "Certification",
        "TRAINING_RECORD" => "CertificateOfCompletion",
        "COMPETITION_AWARD" => "Award",
        _ => "Achievement",
    };

    private static string KindName(string kind) => kind switch
    {
        "COURSE" => "Course (课程)",
        "SKILL_CERTIFICATE" => "1+X skill-level certificate (职业技能等级证书)",
        "VOCATIONAL_QUALIFICATION" => "Vocational qualification (职业资格证书)",
        "SPECIAL_ABILITY" => "Special ability certificate (专项职业能力证书)",
        "TRAINING_RECORD" => "Training record (培训记录)",
        "COMPETITION_AWARD" => "Competition award (技能竞赛获奖)",
        "INFORMAL_OUTCOME" => "Informal learning (非正式学习)",
        _ => "Learning outcome (学习成果)",
    };

    private static string ResultType(string? scheme) => scheme switch
    {
        "PERCENTAGE" => "Percent",
        "FIVE_LEVEL" => "LetterGrade",
        "PASS_FAIL" => "Status",
        { Length: > 0 } other => "ext:" + new string([.. other.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')]),
        _ => "Result",
    };

    private static string Urn(Guid id) => $"urn:uuid:{id}";

    private static DateTimeOffset Seconds(DateTimeOffset at) => DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds());

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>A signed credential: its JSON (the JWT's payload) and the VC-JWT.</summary>
public sealed record SignedCredential(Guid Id, JsonObject Credential, string Jwt, string KeyId);

/// <summary>A signed transcript (its id, VC-JWT and signing key), the ids of the credentials embedded in it, and what is kept of it.</summary>
public sealed record SignedTranscript(Guid Id, PooledJws Jwt, string KeyId, IReadOnlyList<Guid> EmbeddedIds, KeptTranscript Kept);

/// <summary>
/// What the bank keeps of a transcript instead of its VC-JWT: the payload's JSON before and after the embedded
/// credentials, and the JWS with the payload left out (<c>header..signature</c>, RFC 7515 Appendix F). With the embedded
/// credentials (kept, never changed) it gives back the same VC-JWT (<see cref="CredentialFactory.RebuildTranscript"/>).
/// </summary>
public sealed record KeptTranscript(string Head, string Tail, string DetachedJws);

/// <summary>
/// A credential issued before and kept: its id and VC-JWT, and the bytes a transcript embeds it as (decoded once, then
/// reused by every transcript that holds this object).
/// </summary>
public sealed class KeptCredential(Guid id, string jwt)
{
    private byte[]? _embedded;

    public Guid Id => id;

    public string Jwt => jwt;

    /// <summary>Its payload with its JWT as proof (UTF-8 JSON), as a transcript embeds it.</summary>
    public ReadOnlyMemory<byte> Embedded => _embedded ??= CredentialFactory.EmbeddedForm(jwt);

    /// <summary>What it costs to keep in memory: the JWT's characters and the embedded bytes.</summary>
    public long Size => (jwt.Length * 2L) + Embedded.Length + 64;
}
