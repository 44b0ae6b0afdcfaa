using CreditBank.PersonalData;

namespace CreditBank.LoadGenerator;

/// <summary>
/// Synthetic learners for load: learner <c>n</c> always has the same valid 居民身份证 number, and no two learners share
/// one (about 14.6 million numbers per region code; region codes follow on for larger n).
/// </summary>
public static class Learners
{
    private const int PerDay = 1000;
    private const int Days = 14_600; // 40 years of birth dates from 1966-01-01
    private static readonly DateOnly FirstBirthDate = new(1966, 1, 1);

    public static string DocumentNumber(long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var sequence = n % PerDay;
        var day = n / PerDay % Days;
        var region = 500101 + n / ((long)PerDay * Days);
        var first17 = $"{region:D6}{FirstBirthDate.AddDays((int)day):yyyyMMdd}{sequence:D3}";
        return first17 + IdentityDocument.CheckCharacter(first17);
    }

    public static string Name(long n) => $"学员{n:D7}";
}
