using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Accounts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AccountClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "claimed_at",
                table: "accounts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "claimed_by",
                table: "accounts",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_accounts_claimed_by",
                table: "accounts",
                column: "claimed_by",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_accounts_claimed_by",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "claimed_at",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "claimed_by",
                table: "accounts");
        }
    }
}
