using System.Collections.Immutable;

namespace CreditBank.Conversion.Domain;

/// <summary>What a set of chosen exemptions has used up of a programme's caps; immutable, so a search can branch.</summary>
internal sealed record Caps(
    Programme Programme,
    ImmutableHashSet<Guid> UsedOutcomes,
    ImmutableHashSet<string> ExemptedCourses,
    ImmutableDictionary<Guid, decimal> PerCertificate,
    decimal Specialised,
    decimal Public,
    decimal Total)
{
    public static Caps Start(EvaluationRequest request)
    {
        var caps = new Caps(request.Programme, [], [], ImmutableDictionary<Guid, decimal>.Empty, 0m, 0m, 0m);
        foreach (var earlier in request.AlreadyExempted)
        {
            var course = request.Programme.Course(earlier.CourseCode);
            caps = caps with
            {
                ExemptedCourses = caps.ExemptedCourses.Add(earlier.CourseCode),
                Specialised = caps.Specialised + (course?.Category == CourseCategory.Specialised ? earlier.Credits : 0m),
                Public = caps.Public + (course?.Category == CourseCategory.Public ? earlier.Credits : 0m),
                Total = caps.Total + earlier.Credits,
                PerCertificate = earlier.CertificateOutcomeId is { } certificate
                    ? caps.PerCertificate.SetItem(certificate, caps.PerCertificate.GetValueOrDefault(certificate) + earlier.Credits)
                    : caps.PerCertificate,
            };
        }

        return caps;
    }

    public static Caps After(IEnumerable<Exemption> chosen, EvaluationRequest request) =>
        chosen.Aggregate(Start(request), (caps, exemption) => caps.With(exemption));

    /// <summary>Null when <paramref name="candidate"/> fits; otherwise the first cap it breaks, and why, in words.</summary>
    public (Refusal? Reason, string? Detail) Refuse(Exemption candidate)
    {
        var limits = Programme.Caps;
        if (candidate.Outcomes.FirstOrDefault(o => UsedOutcomes.Contains(o.OutcomeId)) is { } used)
        {
            return (Refusal.UsedByAnotherExemption, $"outcome {used.Title} is already used by another exemption (each outcome counts once per programme)");
        }

        if (candidate.Courses.FirstOrDefault(c => ExemptedCourses.Contains(c.Code)) is { } course)
        {
            return (Refusal.CourseAlreadyExempted, $"{course.Code} {course.Title} is already exempted (one certificate per course)");
        }

        var (specialised, @public) = CategoryShares(candidate);
        foreach (var certificate in candidate.Outcomes.Where(o => o.IsCertificate))
        {
            var total = PerCertificate.GetValueOrDefault(certificate.OutcomeId) + candidate.Credits / candidate.Outcomes.Count;
            if (total > limits.MaxCreditsPerCertificate)
            {
                return (Refusal.CertificateCapReached, $"one certificate gives at most {limits.MaxCreditsPerCertificate} credits (cap per certificate)");
            }
        }

        var specialisedCap = decimal.Round(Programme.CreditsIn(CourseCategory.Specialised) * limits.MaxSpecialisedShare, 2);
        if (specialised > 0 && Specialised + specialised > specialisedCap)
        {
            return (Refusal.SpecialisedCapReached, $"conversion may cover at most {limits.MaxSpecialisedShare * 100:0.#}% of specialised-course credits ({specialisedCap})");
        }

        var publicCap = decimal.Round(Programme.CreditsIn(CourseCategory.Public) * limits.MaxPublicShare, 2);
        if (@public > 0 && Public + @public > publicCap)
        {
            return (Refusal.PublicCapReached, $"conversion may cover at most {limits.MaxPublicShare * 100:0.#}% of public-course credits ({publicCap})");
        }

        if (Total + candidate.Credits > limits.MaxTotalCredits)
        {
            return (Refusal.TotalCapReached, $"conversion may grant at most {limits.MaxTotalCredits} credits in this programme in all");
        }

        return (null, null);
    }

    public Caps With(Exemption exemption)
    {
        var (specialised, @public) = CategoryShares(exemption);
        var perCertificate = PerCertificate;
        foreach (var certificate in exemption.Outcomes.Where(o => o.IsCertificate))
        {
            perCertificate = perCertificate.SetItem(certificate.OutcomeId,
                perCertificate.GetValueOrDefault(certificate.OutcomeId) + exemption.Credits / exemption.Outcomes.Count);
        }

        return this with
        {
            UsedOutcomes = UsedOutcomes.Union(exemption.Outcomes.Select(o => o.OutcomeId)),
            ExemptedCourses = ExemptedCourses.Union(exemption.Courses.Select(c => c.Code)),
            PerCertificate = perCertificate,
            Specialised = Specialised + specialised,
            Public = Public + @public,
            Total = Total + exemption.Credits,
        };
    }

    /// <summary>The candidate's credits apportioned to the categories of the courses it exempts, by their credits.</summary>
    private static (decimal Specialised, decimal Public) CategoryShares(Exemption exemption)
    {
        var courseCredits = exemption.Courses.Sum(c => c.Credits);
        if (courseCredits == 0)
        {
            return (0m, 0m);
        }

        decimal Share(CourseCategory category) =>
            exemption.Credits * exemption.Courses.Where(c => c.Category == category).Sum(c => c.Credits) / courseCredits;

        return (Share(CourseCategory.Specialised), Share(CourseCategory.Public));
    }
}
