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
public sealed record OutcomeFacts(
    string? UnitCode,
    string? StandardCode,
    int Level,
    string? CourseCode,
    string? GradeScheme,
    string? GradeValue,
    int Hours,
    DateOnly AchievedOn);
