using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Identity.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PasswordChangeRequired : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "password_change_required",
                table: "people",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "password_change_required",
                table: "people");
        }
    }
}
