using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Recognition.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InstitutionFactsAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "facts_at",
                table: "institutions",
                type: "INTEGER",
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
