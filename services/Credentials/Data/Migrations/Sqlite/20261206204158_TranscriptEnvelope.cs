using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Credentials.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TranscriptEnvelope : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "embedded_ids",
                table: "issued_credentials",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "payload_head",
                table: "issued_credentials",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "payload_tail",
                table: "issued_credentials",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "embedded_ids",
                table: "issued_credentials");

            migrationBuilder.DropColumn(
                name: "payload_head",
                table: "issued_credentials");

            migrationBuilder.DropColumn(
                name: "payload_tail",
                table: "issued_credentials");
        }
    }
}
