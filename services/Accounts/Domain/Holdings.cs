using CreditBank.Contracts.Type.V1;

namespace CreditBank.Accounts.Domain;

/// <summary>
/// What an account holds (学分余额): banked credits by outcome kind — deposits less reversals — and, apart, the credits
/// converted into programmes. Kept in the account's own row and moved by every <see cref="Account.Append"/>, in the same
/// write as the account's version, so that an account is shown without summing its ledger. The ledger stays the record:
/// each figure here is the sum of its entries, and <see cref="Replay"/> says what they sum to.
/// </summary>
public sealed class Holdings
{
    public decimal Course { get; private set; }

    public decimal SkillCertificate { get; private set; }

    public decimal VocationalQualification { get; private set; }

    public decimal SpecialAbility { get; private set; }

    public decimal TrainingRecord { get; private set; }

    public decimal CompetitionAward { get; private set; }

    public decimal InformalOutcome { get; private set; }

    /// <summary>Credits applied to programmes (转换). They stay banked: converting does not lower a balance.</summary>
    public decimal Converted { get; private set; }

    /// <summary>Banked credits by outcome kind, in kind order; kinds with nothing held are left out.</summary>
    public IReadOnlyList<Balance> Balances => new Balance[]
        {
            new(OutcomeKind.Course, Course), new(OutcomeKind.SkillCertificate, SkillCertificate),
            new(OutcomeKind.VocationalQualification, VocationalQualification), new(OutcomeKind.SpecialAbility, SpecialAbility),
            new(OutcomeKind.TrainingRecord, TrainingRecord), new(OutcomeKind.CompetitionAward, CompetitionAward),
            new(OutcomeKind.InformalOutcome, InformalOutcome),
        }
        .Select(held => held with { Credits = decimal.Round(held.Credits, 2) })
        .Where(held => held.Credits != 0)
        .ToList();

    /// <summary>All banked credits, whatever their kind.</summary>
    public decimal Banked => decimal.Round(Course + SkillCertificate + VocationalQualification + SpecialAbility + TrainingRecord + CompetitionAward + InformalOutcome, 2);

    /// <summary>What <paramref name="entries"/> hold between them: the ledger's own answer, to check these figures by.</summary>
    public static Holdings Replay(IEnumerable<LedgerEntry> entries)
    {
        var holdings = new Holdings();
        foreach (var entry in entries)
        {
            holdings.Post(entry.Kind, entry.OutcomeKind, entry.Credits);
        }

        return holdings;
    }

    /// <summary>Moves the figure an entry of <paramref name="kind"/> for an outcome of <paramref name="outcomeKind"/> moves.</summary>
    internal void Post(LedgerEntryKind kind, OutcomeKind outcomeKind, decimal credits)
    {
        if (kind == LedgerEntryKind.Conversion)
        {
            Converted += credits;
            return;
        }

        switch (outcomeKind)
        {
            case OutcomeKind.Course: Course += credits; break;
            case OutcomeKind.SkillCertificate: SkillCertificate += credits; break;
            case OutcomeKind.VocationalQualification: VocationalQualification += credits; break;
            case OutcomeKind.SpecialAbility: SpecialAbility += credits; break;
            case OutcomeKind.TrainingRecord: TrainingRecord += credits; break;
            case OutcomeKind.CompetitionAward: CompetitionAward += credits; break;
            case OutcomeKind.InformalOutcome: InformalOutcome += credits; break;
            default: throw new ArgumentOutOfRangeException(nameof(outcomeKind), outcomeKind, "An outcome kind accounts does not hold credits for.");
        }
    }
}

/// <summary>Banked credits of one outcome kind.</summary>
public sealed record Balance(OutcomeKind OutcomeKind, decimal Credits);
