namespace CreditBank.Conversion.Domain;

/// <summary>Course categories (课程类别); caps apply per category.</summary>
public enum CourseCategory
{
    /// <summary>公共课.</summary>
    Public = 1,

    /// <summary>专业基础课.</summary>
    Foundation = 2,

    /// <summary>专业核心课.</summary>
    Core = 3,

    /// <summary>专业拓展课 / 专业课.</summary>
    Specialised = 4,

    /// <summary>选修课.</summary>
    Elective = 5,
}

/// <summary>A course of a programme, which a conversion may exempt (免修免考).</summary>
public sealed record ProgrammeCourse(string Code, string Title, decimal Credits, CourseCategory Category);

/// <summary>How much of a programme conversion may cover; each limit is configurable per programme.</summary>
public sealed record ProgrammeCaps
{
    /// <summary>At most this many credits by conversion in all (national practice: 15).</summary>
    public decimal MaxTotalCredits { get; init; } = 15m;

    /// <summary>Share of the programme's specialised-course credits that conversion may cover (10%).</summary>
    public decimal MaxSpecialisedShare { get; init; } = 0.10m;

    /// <summary>Share of the programme's public-course credits that conversion may cover (20%).</summary>
    public decimal MaxPublicShare { get; init; } = 0.20m;

    /// <summary>At most this many credits from one certificate (8).</summary>
    public decimal MaxCreditsPerCertificate { get; init; } = 8m;

    /// <summary>A course is exempted by at most one certificate.</summary>
    public bool OneCertificatePerCourse { get; init; } = true;
}

/// <summary>
/// A programme (专业 / 培养方案) at an institution, into which outcomes convert. Versioned as rules are: a change is a
/// new version, and an application cites the version it was evaluated under.
/// </summary>
public sealed record Programme
{
    public required string Code { get; init; }

    /// <summary>Counts from 1 (what the seed and the first definition are).</summary>
    public int Version { get; init; } = 1;

    public required string InstitutionCode { get; init; }

    public required string Name { get; init; }

    public required IReadOnlyList<ProgrammeCourse> Courses { get; init; }

    public ProgrammeCaps Caps { get; init; } = new();

    public decimal TotalCredits => Courses.Sum(c => c.Credits);

    public decimal CreditsIn(CourseCategory category) => Courses.Where(c => c.Category == category).Sum(c => c.Credits);

    public ProgrammeCourse? Course(string code) => Courses.FirstOrDefault(c => c.Code == code);

    /// <summary>Whether <paramref name="other"/> defines the same programme, whatever the version numbers.</summary>
    public bool SameDefinitionAs(Programme other) =>
        (Code, InstitutionCode, Name, Caps) == (other.Code, other.InstitutionCode, other.Name, other.Caps) && Courses.SequenceEqual(other.Courses);
}
