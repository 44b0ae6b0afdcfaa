using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Conversion.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OutboxBodiesLz4 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Written as SQL: the generated ALTER COLUMN ... SET COMPRESSION has no terminating semicolon in
            // `dotnet ef migrations script`. Rows already stored keep their compression; new bodies are lz4.
            migrationBuilder.Sql("ALTER TABLE outbox_messages ALTER COLUMN body SET COMPRESSION lz4;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE outbox_messages ALTER COLUMN body SET COMPRESSION default;");
        }
    }
}
