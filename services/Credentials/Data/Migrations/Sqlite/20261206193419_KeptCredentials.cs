using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Credentials.Data.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "credential_id",
                table: "conversion_items",
                type: "TEXT",
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
