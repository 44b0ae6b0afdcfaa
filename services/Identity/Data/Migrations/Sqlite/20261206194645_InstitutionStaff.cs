using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Identity.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InstitutionStaff : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "institution_code",
                table: "people",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "institution_code",
                table: "people");
        }
    }
}
