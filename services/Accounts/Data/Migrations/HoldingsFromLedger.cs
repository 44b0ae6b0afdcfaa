namespace CreditBank.Accounts.Data.Migrations;

/// <summary>
/// Fills the accounts' holdings from their ledgers, once, when the columns are added (migration AccountHoldings, on
/// both providers); from then on every append moves them.
/// </summary>
internal static class HoldingsFromLedger
{
    public const string Sql = """
        UPDATE accounts SET
            course_credits = held.course,
            skill_certificate_credits = held.skill_certificate,
            vocational_qualification_credits = held.vocational_qualification,
            special_ability_credits = held.special_ability,
            training_record_credits = held.training_record,
            competition_award_credits = held.competition_award,
            informal_outcome_credits = held.informal_outcome,
            converted_credits = held.converted
        FROM (
            SELECT account_id,
                SUM(CASE WHEN kind <> 3 AND outcome_kind = 1 THEN credits ELSE 0 END) AS course,
                SUM(CASE WHEN kind <> 3 AND outcome_kind = 2 THEN credits ELSE 0 END) AS skill_certificate,
                SUM(CASE WHEN kind <> 3 AND outcome_kind = 3 THEN credits ELSE 0 END) AS vocational_qualification,
                SUM(CASE WHEN kind <> 3 AND outcome_kind = 4 THEN credits ELSE 0 END) AS special_ability,
                SUM(CASE WHEN kind <> 3 AND outcome_kind = 5 THEN credits ELSE 0 END) AS training_record,
                SUM(CASE WHEN kind <> 3 AND outcome_kind = 6 THEN credits ELSE 0 END) AS competition_award,
                SUM(CASE WHEN kind <> 3 AND outcome_kind = 7 THEN credits ELSE 0 END) AS informal_outcome,
                SUM(CASE WHEN kind = 3 THEN credits ELSE 0 END) AS converted
            FROM ledger_entries
            GROUP BY account_id
        ) AS held
        WHERE accounts.id = held.account_id;
        """;
}
