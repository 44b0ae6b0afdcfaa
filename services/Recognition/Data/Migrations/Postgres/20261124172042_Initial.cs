using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CreditBank.Recognition.Data.Migrations.Postgres
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
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    processed_at_ms = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inbox_messages", x => new { x.message_id, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "institutions",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    region = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    is_trusted_issuer = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_institutions", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    created_at_ms = table.Column<long>(type: "bigint", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    locked_until_ms = table.Column<long>(type: "bigint", nullable: true),
                    published_at_ms = table.Column<long>(type: "bigint", nullable: true),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "outcomes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    institution_code = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    kind = table.Column<int>(type: "integer", nullable: false),
                    learner_document_type = table.Column<int>(type: "integer", nullable: false),
                    learner_document_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    learner_document_masked = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    learner_document_sealed = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    learner_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    course_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    course_title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    course_credits = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: true),
                    course_hours = table.Column<int>(type: "integer", nullable: true),
                    course_term = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    grade_scheme = table.Column<int>(type: "integer", nullable: true),
                    grade_value = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    certificate_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    skill_level = table.Column<int>(type: "integer", nullable: true),
                    certificate_number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    certificate_issue_date = table.Column<DateOnly>(type: "date", nullable: true),
                    status = table.Column<int>(type: "integer", nullable: false),
                    status_reason_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    credits = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: false),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decided_by = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outcomes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "submissions",
                columns: table => new
                {
                    institution_code = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    request_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    fingerprint = table.Column<byte[]>(type: "bytea", nullable: false),
                    outcome_id = table.Column<Guid>(type: "uuid", nullable: false),
                    response = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
