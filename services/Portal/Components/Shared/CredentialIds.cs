namespace CreditBank.Portal.Components.Shared;

/// <summary>The credentials service names a credential <c>urn:uuid:…</c>; the portal's links and file names use the bare id.</summary>
internal static class CredentialIds
{
    private const string Urn = "urn:uuid:";

    public static string Bare(string credentialId) =>
        credentialId.StartsWith(Urn, StringComparison.OrdinalIgnoreCase) ? credentialId[Urn.Length..] : credentialId;
}
