using System.Security.Cryptography;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace CreditBank.Portal.Session;

/// <summary>
/// Nonces of random bytes only. The default nonce starts with the 18-digit tick count of its creation, which the identity
/// service logs with the authorization request, and which reads like a 居民身份证 number to the check that no document
/// number reaches a log (make test). Its lifetime is kept by the nonce cookie's expiry instead.
/// </summary>
internal sealed class RandomNonces : OpenIdConnectProtocolValidator
{
    public RandomNonces()
    {
        RequireTimeStampInNonce = false;
        // As the handler's own default validator: it checks the state itself, and a nonce (its cookie) lives 15 minutes.
        RequireStateValidation = false;
        NonceLifetime = TimeSpan.FromMinutes(15);
    }

    public override string GenerateNonce() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
