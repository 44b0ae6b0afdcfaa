using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Recognition.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InstitutionFactsAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "facts_at",
                table: "institutions",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "facts_at",
                table: "institutions");
        }
    }
}
