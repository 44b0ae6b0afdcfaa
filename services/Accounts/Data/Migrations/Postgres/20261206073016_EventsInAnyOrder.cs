using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Accounts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EventsInAnyOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_inbox_messages_processed_at_ms",
                table: "inbox_messages",
                column: "processed_at_ms");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_inbox_messages_processed_at_ms",
                table: "inbox_messages");
        }
    }
}
