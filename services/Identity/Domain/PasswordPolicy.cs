namespace CreditBank.Identity.Domain;

/// <summary>
/// What a new password must be (docs/security.md, "Passwords"): at least <see cref="MinLength"/> characters, with
/// letters and digits. Passwords are stored only as ASP.NET Core Identity's PBKDF2 hash.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;

    public const int MaxLength = 128;

    /// <summary>Null when <paramref name="password"/> may be used; otherwise what is wrong with it.</summary>
    public static string? Problem(string password)
    {
        if (password.Length < MinLength || password.Length > MaxLength)
        {
            return $"A password has {MinLength} to {MaxLength} characters.";
        }

        return password.Any(char.IsLetter) && password.Any(char.IsDigit)
            ? null
            : "A password holds both letters and digits.";
    }
}
