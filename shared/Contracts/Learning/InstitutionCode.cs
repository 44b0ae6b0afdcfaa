namespace CreditBank.Contracts.Learning;

/// <summary>The kinds of institution (机构类型) the bank registers: recognition's catalogue and identity's onboarding agree on them.</summary>
public static class InstitutionKinds
{
    public static readonly IReadOnlyList<string> All = ["中职", "高职专科", "职业本科", "普通本科", "技工学校", "开放大学", "培训机构", "培训评价组织", "企业"];
}

/// <summary>Where an institution is (渝 Chongqing, 川 Sichuan, or other).</summary>
public static class InstitutionRegions
{
    public static readonly IReadOnlyList<string> All = ["渝", "川", "other"];
}

/// <summary>Institution codes: 统一社会信用代码 (GB 32100-2015) or 学校标识码.</summary>
public static class InstitutionCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Null when <paramref name="code"/> is a well-formed code; otherwise what is wrong.</summary>
    public static string? Problem(string code)
    {
        if (code.Length == 10)
        {
            return code.All(char.IsAsciiDigit) ? null : "A 学校标识码 is 10 digits.";
        }

        if (code.Length != 18)
        {
            return "An institution code is an 18-character 统一社会信用代码 or a 10-digit 学校标识码.";
        }

        if (code.Any(c => !Alphabet.Contains(c)))
        {
            return "A 统一社会信用代码 uses digits and capital letters other than I, O, S, V and Z.";
        }

        return CheckCharacter(code.AsSpan(0, 17)) == code[17]
            ? null
            : "The 统一社会信用代码 check character (the 18th, GB 32100-2015) does not match; the code was probably mistyped.";
    }

    /// <summary>GB 32100-2015: weights 3^i mod 31 over the first 17 characters, check = 31 − (sum mod 31).</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += Alphabet.IndexOf(first17[i]) * Weights[i];
        }

        return Alphabet[(31 - sum % 31) % 31];
    }
}
