using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Recognition.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                name: "institutions",
                columns: table => new
                {
                    code = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    region = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    is_trusted_issuer = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_institutions", x => x.code);
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
                name: "outcomes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    institution_code = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    learner_document_type = table.Column<int>(type: "INTEGER", nullable: false),
                    learner_document_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    learner_document_masked = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    learner_document_sealed = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    learner_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    course_code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    course_title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    course_credits = table.Column<double>(type: "REAL", precision: 9, scale: 2, nullable: true),
                    course_hours = table.Column<int>(type: "INTEGER", nullable: true),
                    course_term = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    grade_scheme = table.Column<int>(type: "INTEGER", nullable: true),
                    grade_value = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    certificate_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    skill_level = table.Column<int>(type: "INTEGER", nullable: true),
                    certificate_number = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    certificate_issue_date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    status_reason_code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    status_reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    credits = table.Column<double>(type: "REAL", precision: 9, scale: 2, nullable: false),
                    submitted_at = table.Column<long>(type: "INTEGER", nullable: false),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: true),
                    decided_by = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outcomes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "submissions",
                columns: table => new
                {
                    institution_code = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    request_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    fingerprint = table.Column<byte[]>(type: "BLOB", nullable: false),
                    outcome_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    response = table.Column<byte[]>(type: "BLOB", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_submissions", x => new { x.institution_code, x.request_id });
                });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_id",
                table: "outbox_messages",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_published_at_ms_sequence",
                table: "outbox_messages",
                columns: new[] { "published_at_ms", "sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_outcomes_institution_code_submitted_at",
                table: "outcomes",
                columns: new[] { "institution_code", "submitted_at" });

            migrationBuilder.CreateIndex(
                name: "IX_outcomes_learner_document_hash",
                table: "outcomes",
                column: "learner_document_hash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "institutions");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "outcomes");

            migrationBuilder.DropTable(
                name: "submissions");
        }
    }
}
