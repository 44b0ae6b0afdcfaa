namespace CreditBank.Contracts.Events;

/// <summary>
/// What conversion rules look at in a recognised outcome (added to the events in a compatible way: older events have
/// none, and a consumer treats that as "no facts").
/// </summary>
/// <param name="UnitCode">The accreditation unit (认证单元) recognised against, e.g. <c>1X-WEB-2</c>.</param>
/// <param name="StandardCode">The standard the unit is a level of, e.g. <c>1X-WEB</c> (the unit code without its level).</param>
/// <param name="Level">1+X: 1 初级 … 3 高级; qualifications and awards: their level; 0 when none.</param>
/// <param name="CourseCode">A course's code at its institution.</param>
/// <param name="GradeScheme">A course grade's scheme: <c>PERCENTAGE</c>, <c>FIVE_LEVEL</c>, <c>PASS_FAIL</c> or a registered code.</param>
/// <param name="GradeValue">The grade exactly as given.</param>
/// <param name="Hours">Contact or training hours.</param>
/// <param name="AchievedOn">Issue or completion date; for a course, the day it was submitted.</param>
/// <param name="FrameworkLevel">The unit's level in the qualifications framework (资历框架等级); null when no unit, or in older events.</param>
/// <param name="UnitVersion">The version of the unit the decision used; null when no unit, or in older events.</param>
/// <param name="UnitDefinitionSha256">Lower-case hex SHA-256 of that unit version's definition in canonical JSON (RFC 8785,
/// <see cref="Canonical.CanonicalJson"/>): who decided under which definition can be checked afterwards.</param>
public sealed record OutcomeFacts(
    string? UnitCode,
    string? StandardCode,
    int Level,
    string? CourseCode,
    string? GradeScheme,
    string? GradeValue,
    int Hours,
    DateOnly AchievedOn,
    int? FrameworkLevel = null,
    int? UnitVersion = null,
    string? UnitDefinitionSha256 = null);
