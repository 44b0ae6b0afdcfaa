using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Accounts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AccountHoldings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "competition_award_credits",
                table: "accounts",
                type: "REAL",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "converted_credits",
                table: "accounts",
                type: "REAL",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "course_credits",
                table: "accounts",
                type: "REAL",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "informal_outcome_credits",
                table: "accounts",
                type: "REAL",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "skill_certificate_credits",
                table: "accounts",
                type: "REAL",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "special_ability_credits",
                table: "accounts",
                type: "REAL",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "training_record_credits",
                table: "accounts",
                type: "REAL",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "vocational_qualification_credits",
                table: "accounts",
                type: "REAL",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.Sql(HoldingsFromLedger.Sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
        }
    }
}
