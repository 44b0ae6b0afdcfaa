using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Credentials.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KeptCredentials : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "credential_id",
                table: "outcomes",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "credential_id",
                table: "conversion_items",
                type: "uuid",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "credential_id",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "credential_id",
                table: "conversion_items");
        }
    }
}
