using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CreditBank.Credentials.Domain;

/// <summary>
/// The salted identity hash of an OB 3.0 <c>IdentityObject</c>: <c>"sha256$" + hex(SHA-256(UTF-8(identifier + salt)))</c>.
/// The credential carries the hash and the salt, never the identifier (docs/credentials.md, "Who a credential is about").
/// </summary>
public static class IdentityHash
{
    public static string Of(string identifier, string salt) =>
        "sha256$" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identifier + salt)));

    /// <summary>A fresh salt for each credential (128 random bits, base64url), so that two credentials of one learner cannot be linked by their hashes.</summary>
    public static string NewSalt() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>OB 3.0's IdentifierTypeEnum for the bank's document kinds.</summary>
    public static string IdentityType(string documentType) => documentType switch
    {
        "RESIDENT_ID_CARD" => "nationalIdentityNumber",
        "PASSPORT" => "ext:passportNumber",
        _ => "ext:residencePermitNumber",
    };
}
