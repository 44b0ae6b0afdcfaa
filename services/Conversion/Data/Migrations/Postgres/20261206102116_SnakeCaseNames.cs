using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Conversion.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SnakeCaseNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_rule_versions",
                table: "rule_versions");

            migrationBuilder.DropPrimaryKey(
                name: "PK_programmes",
                table: "programmes");

            migrationBuilder.DropPrimaryKey(
                name: "PK_outbox_messages",
                table: "outbox_messages");

            migrationBuilder.DropPrimaryKey(
                name: "PK_learner_outcomes",
                table: "learner_outcomes");

            migrationBuilder.DropPrimaryKey(
                name: "PK_inbox_messages",
                table: "inbox_messages");

            migrationBuilder.DropPrimaryKey(
                name: "PK_applications",
                table: "applications");

            migrationBuilder.DropPrimaryKey(
                name: "PK_application_outcomes",
                table: "application_outcomes");

            migrationBuilder.RenameIndex(
                name: "IX_rule_versions_programme_code",
                table: "rule_versions",
                newName: "ix_rule_versions_programme_code");

            migrationBuilder.RenameIndex(
                name: "IX_outbox_messages_published_at_ms_sequence",
                table: "outbox_messages",
                newName: "ix_outbox_messages_published_at_ms_sequence");

            migrationBuilder.RenameIndex(
                name: "IX_outbox_messages_id",
                table: "outbox_messages",
                newName: "ix_outbox_messages_id");

            migrationBuilder.RenameIndex(
                name: "IX_learner_outcomes_learner_document_hash",
                table: "learner_outcomes",
                newName: "ix_learner_outcomes_learner_document_hash");

            migrationBuilder.RenameIndex(
                name: "IX_inbox_messages_processed_at_ms",
                table: "inbox_messages",
                newName: "ix_inbox_messages_processed_at_ms");

            migrationBuilder.RenameIndex(
                name: "IX_applications_learner_document_hash_request_id",
                table: "applications",
                newName: "ix_applications_learner_document_hash_request_id");

            migrationBuilder.RenameIndex(
                name: "IX_applications_learner_document_hash_programme_code",
                table: "applications",
                newName: "ix_applications_learner_document_hash_programme_code");

            migrationBuilder.AddPrimaryKey(
                name: "pk_rule_versions",
                table: "rule_versions",
                columns: new[] { "rule_id", "version" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_programmes",
                table: "programmes",
                column: "code");

            migrationBuilder.AddPrimaryKey(
                name: "pk_outbox_messages",
                table: "outbox_messages",
                column: "sequence");

            migrationBuilder.AddPrimaryKey(
                name: "pk_learner_outcomes",
                table: "learner_outcomes",
                column: "outcome_id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_inbox_messages",
                table: "inbox_messages",
                columns: new[] { "message_id", "consumer" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_applications",
                table: "applications",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_application_outcomes",
                table: "application_outcomes",
                columns: new[] { "outcome_id", "application_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_rule_versions",
                table: "rule_versions");

            migrationBuilder.DropPrimaryKey(
                name: "pk_programmes",
                table: "programmes");

            migrationBuilder.DropPrimaryKey(
                name: "pk_outbox_messages",
                table: "outbox_messages");

            migrationBuilder.DropPrimaryKey(
                name: "pk_learner_outcomes",
                table: "learner_outcomes");

            migrationBuilder.DropPrimaryKey(
                name: "pk_inbox_messages",
                table: "inbox_messages");

            migrationBuilder.DropPrimaryKey(
                name: "pk_applications",
                table: "applications");

            migrationBuilder.DropPrimaryKey(
                name: "pk_application_outcomes",
                table: "application_outcomes");

            migrationBuilder.RenameIndex(
                name: "ix_rule_versions_programme_code",
                table: "rule_versions",
                newName: "IX_rule_versions_programme_code");

            migrationBuilder.RenameIndex(
                name: "ix_outbox_messages_published_at_ms_sequence",
                table: "outbox_messages",
                newName: "IX_outbox_messages_published_at_ms_sequence");

            migrationBuilder.RenameIndex(
                name: "ix_outbox_messages_id",
                table: "outbox_messages",
                newName: "IX_outbox_messages_id");

            migrationBuilder.RenameIndex(
                name: "ix_learner_outcomes_learner_document_hash",
                table: "learner_outcomes",
                newName: "IX_learner_outcomes_learner_document_hash");

            migrationBuilder.RenameIndex(
                name: "ix_inbox_messages_processed_at_ms",
                table: "inbox_messages",
                newName: "IX_inbox_messages_processed_at_ms");

            migrationBuilder.RenameIndex(
                name: "ix_applications_learner_document_hash_request_id",
                table: "applications",
                newName: "IX_applications_learner_document_hash_request_id");

            migrationBuilder.RenameIndex(
                name: "ix_applications_learner_document_hash_programme_code",
                table: "applications",
                newName: "IX_applications_learner_document_hash_programme_code");

            migrationBuilder.AddPrimaryKey(
                name: "PK_rule_versions",
                table: "rule_versions",
                columns: new[] { "rule_id", "version" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_programmes",
                table: "programmes",
                column: "code");

            migrationBuilder.AddPrimaryKey(
                name: "PK_outbox_messages",
                table: "outbox_messages",
                column: "sequence");

            migrationBuilder.AddPrimaryKey(
                name: "PK_learner_outcomes",
                table: "learner_outcomes",
                column: "outcome_id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_inbox_messages",
                table: "inbox_messages",
                columns: new[] { "message_id", "consumer" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_applications",
                table: "applications",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_application_outcomes",
                table: "application_outcomes",
                columns: new[] { "outcome_id", "application_id" });
        }
    }
}
