using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Accounts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AccountHoldings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ledger_entries_account_id_sequence",
                table: "ledger_entries");

            migrationBuilder.AddColumn<decimal>(
                name: "competition_award_credits",
                table: "accounts",
                type: "numeric(12,2)",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "converted_credits",
                table: "accounts",
                type: "numeric(12,2)",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "course_credits",
                table: "accounts",
                type: "numeric(12,2)",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "informal_outcome_credits",
                table: "accounts",
                type: "numeric(12,2)",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "skill_certificate_credits",
                table: "accounts",
                type: "numeric(12,2)",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "special_ability_credits",
                table: "accounts",
                type: "numeric(12,2)",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "training_record_credits",
                table: "accounts",
                type: "numeric(12,2)",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "vocational_qualification_credits",
                table: "accounts",
                type: "numeric(12,2)",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.CreateIndex(
                name: "IX_ledger_entries_account_id_sequence",
                table: "ledger_entries",
                columns: new[] { "account_id", "sequence" },
                unique: true);

            migrationBuilder.Sql(HoldingsFromLedger.Sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ledger_entries_account_id_sequence",
                table: "ledger_entries");

            migrationBuilder.DropColumn(
                name: "competition_award_credits",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "converted_credits",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "course_credits",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "informal_outcome_credits",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "skill_certificate_credits",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "special_ability_credits",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "training_record_credits",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "vocational_qualification_credits",
                table: "accounts");

            migrationBuilder.CreateIndex(
                name: "IX_ledger_entries_account_id_sequence",
                table: "ledger_entries",
                columns: new[] { "account_id", "sequence" },
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "outcome_kind", "kind", "credits" });
        }
    }
}
