using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreditBank.Contracts.Type.V1;

namespace CreditBank.Recognition.Domain;

/// <summary>Text compared the way people mean it: spaces, full-width forms, punctuation and case do not matter.</summary>
public static class TextKey
{
    /// <summary>"数据结构（上）", "数据 结构(上)" and "ＤＡＴＡ结构·上" normalise alike.</summary>
    public static string Normalise(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        // NFKC folds full-width letters, digits and punctuation (and the ideographic space) to their ordinary forms.
        var folded = text.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            var category = char.GetUnicodeCategory(c);
            if (char.IsWhiteSpace(c) || char.IsPunctuation(c) || category is UnicodeCategory.MathSymbol or UnicodeCategory.ModifierSymbol
                    or UnicodeCategory.OtherSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.Format or UnicodeCategory.Control)
            {
                continue;
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}

/// <summary>
/// 去重: what makes two submissions one outcome. The same certificate number from the same issuer (for every kind
/// that has one), or the same course + term + learner from the same institution, is one outcome however often it is
/// sent; a training record or informal outcome without a number is keyed by learner, title and date.
/// </summary>
public static class DuplicateKey
{
    public static string For(string institutionCode, string learnerHash, OutcomeKind kind, OutcomeDetail detail)
    {
        var text = detail switch
        {
            CourseDetail c => $"course|{institutionCode}|{learnerHash}|{TextKey.Normalise(c.CourseTitle)}|{TextKey.Normalise(c.Term)}",
            TrainingDetail { CertificateNumber: null } t =>
                $"training|{institutionCode}|{learnerHash}|{TextKey.Normalise(t.TrainingTitle)}|{t.CompletionDate:yyyyMMdd}",
            InformalDetail { CertificateNumber: null } i =>
                $"informal|{institutionCode}|{learnerHash}|{(int)i.Type}|{TextKey.Normalise(i.InformalTitle)}|{TextKey.Normalise(i.Provider)}|{i.CompletionDate:yyyyMMdd}",
            _ => $"number|{(int)kind}|{institutionCode}|{TextKey.Normalise(CertificateNumber(detail))}",
        };
        return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string? CertificateNumber(OutcomeDetail detail) => detail switch
    {
        SkillCertificateDetail s => s.CertificateNumber,
        QualificationDetail q => q.CertificateNumber,
        SpecialAbilityDetail a => a.CertificateNumber,
        TrainingDetail t => t.CertificateNumber,
        AwardDetail w => w.CertificateNumber,
        InformalDetail i => i.CertificateNumber,
        _ => null,
    };
}
