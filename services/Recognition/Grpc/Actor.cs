namespace CreditBank.Recognition.Grpc;

/// <summary>
/// The acting principal, named once per kind of caller. Today it comes from the request (institution_code, reviewer,
/// admin); when identity arrives it comes from the token, here and nowhere else.
/// </summary>
internal static class Actor
{
    public const string System = "system";

    public static string Institution(string code) => $"institution:{code}";

    /// <summary>A reviewer belongs to a workstation.</summary>
    public static string Reviewer(string workstationCode, string reviewer) => $"reviewer:{workstationCode}/{reviewer.Trim()}";

    public static string Admin(string admin) => $"admin:{admin.Trim()}";
}
