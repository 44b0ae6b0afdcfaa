using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Recognition.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SnakeCaseNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_workstations",
                table: "workstations");

            migrationBuilder.DropPrimaryKey(
                name: "PK_submissions",
                table: "submissions");

            migrationBuilder.DropPrimaryKey(
                name: "PK_review_tasks",
                table: "review_tasks");

            migrationBuilder.DropPrimaryKey(
                name: "PK_outcomes",
                table: "outcomes");

            migrationBuilder.DropPrimaryKey(
                name: "PK_outbox_messages",
                table: "outbox_messages");

            migrationBuilder.DropPrimaryKey(
                name: "PK_institutions",
                table: "institutions");

            migrationBuilder.DropPrimaryKey(
                name: "PK_inbox_messages",
                table: "inbox_messages");

            migrationBuilder.DropPrimaryKey(
                name: "PK_grading_schemes",
                table: "grading_schemes");

            migrationBuilder.DropPrimaryKey(
                name: "PK_framework_levels",
                table: "framework_levels");

            migrationBuilder.DropPrimaryKey(
                name: "PK_batches",
                table: "batches");

            migrationBuilder.DropPrimaryKey(
                name: "PK_batch_lines",
                table: "batch_lines");

            migrationBuilder.DropPrimaryKey(
                name: "PK_accreditation_units",
                table: "accreditation_units");

            migrationBuilder.RenameIndex(
                name: "IX_review_tasks_workstation_code_decided_at_sequence",
                table: "review_tasks",
                newName: "ix_review_tasks_workstation_code_decided_at_sequence");

            migrationBuilder.RenameIndex(
                name: "IX_review_tasks_outcome_id",
                table: "review_tasks",
                newName: "ix_review_tasks_outcome_id");

            migrationBuilder.RenameIndex(
                name: "IX_outcomes_learner_document_hash",
                table: "outcomes",
                newName: "ix_outcomes_learner_document_hash");

            migrationBuilder.RenameIndex(
                name: "IX_outcomes_institution_code_submitted_at",
                table: "outcomes",
                newName: "ix_outcomes_institution_code_submitted_at");

            migrationBuilder.RenameIndex(
                name: "IX_outcomes_duplicate_key",
                table: "outcomes",
                newName: "ix_outcomes_duplicate_key");

            migrationBuilder.RenameIndex(
                name: "IX_outbox_messages_published_at_ms_sequence",
                table: "outbox_messages",
                newName: "ix_outbox_messages_published_at_ms_sequence");

            migrationBuilder.RenameIndex(
                name: "IX_outbox_messages_id",
                table: "outbox_messages",
                newName: "ix_outbox_messages_id");

            migrationBuilder.RenameIndex(
                name: "IX_inbox_messages_processed_at_ms",
                table: "inbox_messages",
                newName: "ix_inbox_messages_processed_at_ms");

            migrationBuilder.RenameIndex(
                name: "IX_batches_institution_code_request_id",
                table: "batches",
                newName: "ix_batches_institution_code_request_id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_workstations",
                table: "workstations",
                column: "code");

            migrationBuilder.AddPrimaryKey(
                name: "pk_submissions",
                table: "submissions",
                columns: new[] { "institution_code", "request_id" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_review_tasks",
                table: "review_tasks",
                column: "sequence");

            migrationBuilder.AddPrimaryKey(
                name: "pk_outcomes",
                table: "outcomes",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_outbox_messages",
                table: "outbox_messages",
                column: "sequence");

            migrationBuilder.AddPrimaryKey(
                name: "pk_institutions",
                table: "institutions",
                column: "code");

            migrationBuilder.AddPrimaryKey(
                name: "pk_inbox_messages",
                table: "inbox_messages",
                columns: new[] { "message_id", "consumer" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_grading_schemes",
                table: "grading_schemes",
                column: "code");

            migrationBuilder.AddPrimaryKey(
                name: "pk_framework_levels",
                table: "framework_levels",
                column: "level");

            migrationBuilder.AddPrimaryKey(
                name: "pk_batches",
                table: "batches",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_batch_lines",
                table: "batch_lines",
                columns: new[] { "batch_id", "line_number" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_accreditation_units",
                table: "accreditation_units",
                column: "code");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_workstations",
                table: "workstations");

            migrationBuilder.DropPrimaryKey(
                name: "pk_submissions",
                table: "submissions");

            migrationBuilder.DropPrimaryKey(
                name: "pk_review_tasks",
                table: "review_tasks");

            migrationBuilder.DropPrimaryKey(
                name: "pk_outcomes",
                table: "outcomes");

            migrationBuilder.DropPrimaryKey(
                name: "pk_outbox_messages",
                table: "outbox_messages");

            migrationBuilder.DropPrimaryKey(
                name: "pk_institutions",
                table: "institutions");

            migrationBuilder.DropPrimaryKey(
                name: "pk_inbox_messages",
                table: "inbox_messages");

            migrationBuilder.DropPrimaryKey(
                name: "pk_grading_schemes",
                table: "grading_schemes");

            migrationBuilder.DropPrimaryKey(
                name: "pk_framework_levels",
                table: "framework_levels");

            migrationBuilder.DropPrimaryKey(
                name: "pk_batches",
                table: "batches");

            migrationBuilder.DropPrimaryKey(
                name: "pk_batch_lines",
                table: "batch_lines");

            migrationBuilder.DropPrimaryKey(
                name: "pk_accreditation_units",
                table: "accreditation_units");

            migrationBuilder.RenameIndex(
                name: "ix_review_tasks_workstation_code_decided_at_sequence",
                table: "review_tasks",
                newName: "IX_review_tasks_workstation_code_decided_at_sequence");

            migrationBuilder.RenameIndex(
                name: "ix_review_tasks_outcome_id",
                table: "review_tasks",
                newName: "IX_review_tasks_outcome_id");

            migrationBuilder.RenameIndex(
                name: "ix_outcomes_learner_document_hash",
                table: "outcomes",
                newName: "IX_outcomes_learner_document_hash");

            migrationBuilder.RenameIndex(
                name: "ix_outcomes_institution_code_submitted_at",
                table: "outcomes",
                newName: "IX_outcomes_institution_code_submitted_at");

            migrationBuilder.RenameIndex(
                name: "ix_outcomes_duplicate_key",
                table: "outcomes",
                newName: "IX_outcomes_duplicate_key");

            migrationBuilder.RenameIndex(
                name: "ix_outbox_messages_published_at_ms_sequence",
                table: "outbox_messages",
                newName: "IX_outbox_messages_published_at_ms_sequence");

            migrationBuilder.RenameIndex(
                name: "ix_outbox_messages_id",
                table: "outbox_messages",
                newName: "IX_outbox_messages_id");

            migrationBuilder.RenameIndex(
                name: "ix_inbox_messages_processed_at_ms",
                table: "inbox_messages",
                newName: "IX_inbox_messages_processed_at_ms");

            migrationBuilder.RenameIndex(
                name: "ix_batches_institution_code_request_id",
                table: "batches",
                newName: "IX_batches_institution_code_request_id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_workstations",
                table: "workstations",
                column: "code");

            migrationBuilder.AddPrimaryKey(
                name: "PK_submissions",
                table: "submissions",
                columns: new[] { "institution_code", "request_id" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_review_tasks",
                table: "review_tasks",
                column: "sequence");

            migrationBuilder.AddPrimaryKey(
                name: "PK_outcomes",
                table: "outcomes",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_outbox_messages",
                table: "outbox_messages",
                column: "sequence");

            migrationBuilder.AddPrimaryKey(
                name: "PK_institutions",
                table: "institutions",
                column: "code");

            migrationBuilder.AddPrimaryKey(
                name: "PK_inbox_messages",
                table: "inbox_messages",
                columns: new[] { "message_id", "consumer" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_grading_schemes",
                table: "grading_schemes",
                column: "code");

            migrationBuilder.AddPrimaryKey(
                name: "PK_framework_levels",
                table: "framework_levels",
                column: "level");

            migrationBuilder.AddPrimaryKey(
                name: "PK_batches",
                table: "batches",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_batch_lines",
                table: "batch_lines",
                columns: new[] { "batch_id", "line_number" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_accreditation_units",
                table: "accreditation_units",
                column: "code");
        }
    }
}
