using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Accounts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SnakeCaseNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ledger_entries_accounts_account_id",
                table: "ledger_entries");

            migrationBuilder.DropPrimaryKey(
                name: "PK_outbox_messages",
                table: "outbox_messages");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ledger_entries",
                table: "ledger_entries");

            migrationBuilder.DropPrimaryKey(
                name: "PK_inbox_messages",
                table: "inbox_messages");

            migrationBuilder.DropPrimaryKey(
                name: "PK_accounts",
                table: "accounts");

            migrationBuilder.RenameIndex(
                name: "IX_outbox_messages_published_at_ms_sequence",
                table: "outbox_messages",
                newName: "ix_outbox_messages_published_at_ms_sequence");

            migrationBuilder.RenameIndex(
                name: "IX_outbox_messages_id",
                table: "outbox_messages",
                newName: "ix_outbox_messages_id");

            migrationBuilder.RenameIndex(
                name: "IX_ledger_entries_outcome_id_kind",
                table: "ledger_entries",
                newName: "ix_ledger_entries_outcome_id_kind");

            migrationBuilder.RenameIndex(
                name: "IX_ledger_entries_account_id_sequence",
                table: "ledger_entries",
                newName: "ix_ledger_entries_account_id_sequence");

            migrationBuilder.RenameIndex(
                name: "IX_inbox_messages_processed_at_ms",
                table: "inbox_messages",
                newName: "ix_inbox_messages_processed_at_ms");

            migrationBuilder.RenameIndex(
                name: "IX_accounts_document_hash",
                table: "accounts",
                newName: "ix_accounts_document_hash");

            migrationBuilder.RenameIndex(
                name: "IX_accounts_claimed_by",
                table: "accounts",
                newName: "ix_accounts_claimed_by");

            migrationBuilder.AddPrimaryKey(
                name: "pk_outbox_messages",
                table: "outbox_messages",
                column: "sequence");

            migrationBuilder.AddPrimaryKey(
                name: "pk_ledger_entries",
                table: "ledger_entries",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_inbox_messages",
                table: "inbox_messages",
                columns: new[] { "message_id", "consumer" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_accounts",
                table: "accounts",
                column: "id");

            migrationBuilder.AddForeignKey(
                name: "fk_ledger_entries_accounts_account_id",
                table: "ledger_entries",
                column: "account_id",
                principalTable: "accounts",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_ledger_entries_accounts_account_id",
                table: "ledger_entries");

            migrationBuilder.DropPrimaryKey(
                name: "pk_outbox_messages",
                table: "outbox_messages");

            migrationBuilder.DropPrimaryKey(
                name: "pk_ledger_entries",
                table: "ledger_entries");

            migrationBuilder.DropPrimaryKey(
                name: "pk_inbox_messages",
                table: "inbox_messages");

            migrationBuilder.DropPrimaryKey(
                name: "pk_accounts",
                table: "accounts");

            migrationBuilder.RenameIndex(
                name: "ix_outbox_messages_published_at_ms_sequence",
                table: "outbox_messages",
                newName: "IX_outbox_messages_published_at_ms_sequence");

            migrationBuilder.RenameIndex(
                name: "ix_outbox_messages_id",
                table: "outbox_messages",
                newName: "IX_outbox_messages_id");

            migrationBuilder.RenameIndex(
                name: "ix_ledger_entries_outcome_id_kind",
                table: "ledger_entries",
                newName: "IX_ledger_entries_outcome_id_kind");

            migrationBuilder.RenameIndex(
                name: "ix_ledger_entries_account_id_sequence",
                table: "ledger_entries",
                newName: "IX_ledger_entries_account_id_sequence");

            migrationBuilder.RenameIndex(
                name: "ix_inbox_messages_processed_at_ms",
                table: "inbox_messages",
                newName: "IX_inbox_messages_processed_at_ms");

            migrationBuilder.RenameIndex(
                name: "ix_accounts_document_hash",
                table: "accounts",
                newName: "IX_accounts_document_hash");

            migrationBuilder.RenameIndex(
                name: "ix_accounts_claimed_by",
                table: "accounts",
                newName: "IX_accounts_claimed_by");

            migrationBuilder.AddPrimaryKey(
                name: "PK_outbox_messages",
                table: "outbox_messages",
                column: "sequence");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ledger_entries",
                table: "ledger_entries",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_inbox_messages",
                table: "inbox_messages",
                columns: new[] { "message_id", "consumer" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_accounts",
                table: "accounts",
                column: "id");

            migrationBuilder.AddForeignKey(
                name: "FK_ledger_entries_accounts_account_id",
                table: "ledger_entries",
                column: "account_id",
                principalTable: "accounts",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
