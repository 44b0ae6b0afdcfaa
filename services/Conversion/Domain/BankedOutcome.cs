using CreditBank.Contracts.Learning;
using CreditBank.Contracts.Type.V1;

namespace CreditBank.Conversion.Domain;

/// <summary>
/// A learner's recognised outcome as conversion sees it: conversion's own read model, built from recognition's events
/// (and rebuilt by replaying them). Only what rules look at.
/// </summary>
public sealed record BankedOutcome
{
    public required Guid OutcomeId { get; init; }

    public required OutcomeKind Kind { get; init; }

    /// <summary>The accreditation unit (认证单元) it was recognised against, e.g. <c>1X-WEB-FRONTEND</c>; null for a plain course.</summary>
    public string? UnitCode { get; init; }

    /// <summary>1+X: 1 初级, 2 中级, 3 高级; qualifications: their level; 0 when the kind has none.</summary>
    public int Level { get; init; }

    /// <summary>The issuing institution's code.</summary>
    public required string InstitutionCode { get; init; }

    /// <summary>A course's code at its institution.</summary>
    public string? CourseCode { get; init; }

    /// <summary>A course's grade as given, in its scheme.</summary>
    public GradeValue? Grade { get; init; }

    /// <summary>Contact or training hours (学时).</summary>
    public int Hours { get; init; }

    /// <summary>Credits recognised.</summary>
    public decimal Credits { get; init; }

    /// <summary>When it was achieved (certificate issue date, end of term); validity windows count from here.</summary>
    public required DateOnly AchievedOn { get; init; }

    /// <summary>Revoked outcomes count for nothing, and flag the conversions that used them.</summary>
    public bool Revoked { get; init; }

    public string Title { get; init; } = string.Empty;

    public bool IsCertificate => Kind.IsCertificate();
}
