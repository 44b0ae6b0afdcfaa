namespace CreditBank.PersonalData;

/// <summary>How document numbers are shown to people: first four and last four characters, the rest starred.</summary>
public static class Masking
{
    public static string Mask(string number) => number.Length <= 8
        ? new string('*', Math.Max(0, number.Length - 2)) + number[Math.Max(0, number.Length - 2)..]
        : string.Concat(number.AsSpan(0, 4), new string('*', number.Length - 8), number.AsSpan(number.Length - 4));
}
