using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Conversion.Data.Migrations.Sqlite
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
                    outcome_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    application_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_outcomes", x => new { x.outcome_id, x.application_id });
                });

            migrationBuilder.CreateTable(
                name: "applications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    request_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    learner_document_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    applied_by = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    programme_code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    institution_code = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    items = table.Column<string>(type: "TEXT", nullable: false),
                    applied_at = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_applications", x => x.id);
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
                name: "learner_outcomes",
                columns: table => new
                {
                    outcome_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    learner_document_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    standard_code = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    level = table.Column<int>(type: "INTEGER", nullable: false),
                    institution_code = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    course_code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    grade_scheme = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    grade_value = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    hours = table.Column<int>(type: "INTEGER", nullable: false),
                    credits = table.Column<double>(type: "REAL", precision: 9, scale: 2, nullable: false),
                    achieved_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    revoked = table.Column<bool>(type: "INTEGER", nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_learner_outcomes", x => x.outcome_id);
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
                name: "programmes",
                columns: table => new
                {
                    code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    institution_code = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    definition = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_programmes", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "rule_versions",
                columns: table => new
                {
                    rule_id = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    programme_code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    definition = table.Column<string>(type: "TEXT", nullable: false),
                    effective_from = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    effective_to = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
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
