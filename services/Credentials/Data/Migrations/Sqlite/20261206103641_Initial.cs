using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Credentials.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "conversion_items",
                columns: table => new
                {
                    application_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    item_number = table.Column<int>(type: "INTEGER", nullable: false),
                    learner_document_type = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    learner_document_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    programme_code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    institution_code = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    rule_id = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    rule_version = table.Column<int>(type: "INTEGER", nullable: false),
                    rule_definition_sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    course_codes = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    credits = table.Column<double>(type: "REAL", precision: 9, scale: 2, nullable: false),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: false),
                    revoked = table.Column<bool>(type: "INTEGER", nullable: false),
                    status_list_id = table.Column<int>(type: "INTEGER", nullable: false),
                    status_index = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversion_items", x => new { x.application_id, x.item_number });
                });

            migrationBuilder.CreateTable(
                name: "conversion_outcomes",
                columns: table => new
                {
                    outcome_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    application_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    item_number = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversion_outcomes", x => new { x.outcome_id, x.application_id, x.item_number });
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
                    table.PrimaryKey("pk_inbox_messages", x => new { x.message_id, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "issued_credentials",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    learner_document_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    outcome_ids = table.Column<string>(type: "TEXT", nullable: false),
                    issued_at = table.Column<long>(type: "INTEGER", nullable: false),
                    key_id = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    jwt = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_issued_credentials", x => x.id);
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
                    table.PrimaryKey("pk_outbox_messages", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "outcomes",
                columns: table => new
                {
                    outcome_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    learner_document_type = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    learner_document_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    learner_document_sealed = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    institution_code = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    credits = table.Column<double>(type: "REAL", precision: 9, scale: 2, nullable: false),
                    unit_code = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    unit_version = table.Column<int>(type: "INTEGER", nullable: true),
                    unit_definition_sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    framework_level = table.Column<int>(type: "INTEGER", nullable: true),
                    level = table.Column<int>(type: "INTEGER", nullable: false),
                    course_code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    grade_scheme = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    grade_value = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    hours = table.Column<int>(type: "INTEGER", nullable: false),
                    achieved_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    recognised_at = table.Column<long>(type: "INTEGER", nullable: true),
                    revoked = table.Column<bool>(type: "INTEGER", nullable: false),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    status_list_id = table.Column<int>(type: "INTEGER", nullable: false),
                    status_index = table.Column<int>(type: "INTEGER", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outcomes", x => x.outcome_id);
                });

            migrationBuilder.CreateTable(
                name: "signed_decisions",
                columns: table => new
                {
                    subject_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    institution_code = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    learner_document_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    canonical_json = table.Column<string>(type: "TEXT", nullable: false),
                    detached_jws = table.Column<string>(type: "TEXT", nullable: false),
                    key_id = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_signed_decisions", x => new { x.subject_id, x.kind });
                });

            migrationBuilder.CreateTable(
                name: "status_lists",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    purpose = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    size = table.Column<int>(type: "INTEGER", nullable: false),
                    used = table.Column<byte[]>(type: "BLOB", nullable: false),
                    revoked_bits = table.Column<byte[]>(type: "BLOB", nullable: false),
                    allocated = table.Column<int>(type: "INTEGER", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_status_lists", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_conversion_items_learner_document_hash",
                table: "conversion_items",
                column: "learner_document_hash");

            migrationBuilder.CreateIndex(
                name: "ix_conversion_items_status_list_id_status_index",
                table: "conversion_items",
                columns: new[] { "status_list_id", "status_index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_inbox_messages_processed_at_ms",
                table: "inbox_messages",
                column: "processed_at_ms");

            migrationBuilder.CreateIndex(
                name: "ix_issued_credentials_learner_document_hash",
                table: "issued_credentials",
                column: "learner_document_hash");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_id",
                table: "outbox_messages",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_published_at_ms_sequence",
                table: "outbox_messages",
                columns: new[] { "published_at_ms", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_outcomes_learner_document_hash",
                table: "outcomes",
                column: "learner_document_hash");

            migrationBuilder.CreateIndex(
                name: "ix_outcomes_status_list_id_status_index",
                table: "outcomes",
                columns: new[] { "status_list_id", "status_index" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "conversion_items");

            migrationBuilder.DropTable(
                name: "conversion_outcomes");

            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "issued_credentials");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "outcomes");

            migrationBuilder.DropTable(
                name: "signed_decisions");

            migrationBuilder.DropTable(
                name: "status_lists");
        }
    }
}
