using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CreditBank.Conversion.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "application_outcomes",
                columns: table => new
                {
                    outcome_id = table.Column<Guid>(type: "uuid", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_outcomes", x => new { x.outcome_id, x.application_id });
                });

            migrationBuilder.CreateTable(
                name: "applications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    request_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    learner_document_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    applied_by = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    programme_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    institution_code = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    status = table.Column<int>(type: "integer", nullable: false),
                    items = table.Column<string>(type: "text", nullable: false),
                    applied_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_applications", x => x.id);
                });

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
                name: "learner_outcomes",
                columns: table => new
                {
                    outcome_id = table.Column<Guid>(type: "uuid", nullable: false),
                    learner_document_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    standard_code = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    level = table.Column<int>(type: "integer", nullable: false),
                    institution_code = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    course_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    grade_scheme = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    grade_value = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    hours = table.Column<int>(type: "integer", nullable: false),
                    credits = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: false),
                    achieved_on = table.Column<DateOnly>(type: "date", nullable: false),
                    revoked = table.Column<bool>(type: "boolean", nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_learner_outcomes", x => x.outcome_id);
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
                name: "programmes",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    institution_code = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    definition = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_programmes", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "rule_versions",
                columns: table => new
                {
                    rule_id = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    programme_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    definition = table.Column<string>(type: "text", nullable: false),
                    effective_from = table.Column<DateOnly>(type: "date", nullable: false),
                    effective_to = table.Column<DateOnly>(type: "date", nullable: true),
                    created_by = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rule_versions", x => new { x.rule_id, x.version });
                });

            migrationBuilder.CreateIndex(
                name: "IX_applications_learner_document_hash_programme_code",
                table: "applications",
                columns: new[] { "learner_document_hash", "programme_code" });

            migrationBuilder.CreateIndex(
                name: "IX_applications_learner_document_hash_request_id",
                table: "applications",
                columns: new[] { "learner_document_hash", "request_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_learner_outcomes_learner_document_hash",
                table: "learner_outcomes",
                column: "learner_document_hash");

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
                name: "IX_rule_versions_programme_code",
                table: "rule_versions",
                column: "programme_code");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "application_outcomes");

            migrationBuilder.DropTable(
                name: "applications");

            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "learner_outcomes");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "programmes");

            migrationBuilder.DropTable(
                name: "rule_versions");
        }
    }
}
