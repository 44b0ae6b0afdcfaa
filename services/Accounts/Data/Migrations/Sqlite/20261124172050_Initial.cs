using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Accounts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "accounts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    document_type = table.Column<int>(type: "INTEGER", nullable: false),
                    document_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    document_masked = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    document_sealed = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    opened_at = table.Column<long>(type: "INTEGER", nullable: false),
                    opened_by = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_accounts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    consumer = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    processed_at_ms = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inbox_messages", x => new { x.message_id, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    created_at_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    locked_until_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    published_at_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "ledger_entries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    account_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    credits = table.Column<double>(type: "REAL", precision: 9, scale: 2, nullable: false),
                    outcome_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    outcome_kind = table.Column<int>(type: "INTEGER", nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    source_event_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    posted_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ledger_entries", x => x.id);
                    table.ForeignKey(
                        name: "FK_ledger_entries_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_accounts_document_hash",
                table: "accounts",
                column: "document_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ledger_entries_account_id_sequence",
                table: "ledger_entries",
                columns: new[] { "account_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ledger_entries_outcome_id_kind",
                table: "ledger_entries",
                columns: new[] { "outcome_id", "kind" },
                unique: true,
                filter: "kind IN (1, 2)");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_id",
                table: "outbox_messages",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_published_at_ms_sequence",
                table: "outbox_messages",
                columns: new[] { "published_at_ms", "sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "ledger_entries");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "accounts");
        }
    }
}
