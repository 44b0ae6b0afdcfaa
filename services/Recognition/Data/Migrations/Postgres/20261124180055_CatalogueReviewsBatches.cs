using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CreditBank.Recognition.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CatalogueReviewsBatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "attachment_sha256",
                table: "outcomes",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "batch_id",
                table: "outcomes",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "detail_hours",
                table: "outcomes",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "detail_level",
                table: "outcomes",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "detail_provider",
                table: "outcomes",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "detail_rank",
                table: "outcomes",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "detail_type",
                table: "outcomes",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "duplicate_key",
                table: "outcomes",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "grade_scheme_code",
                table: "outcomes",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "revoked_at",
                table: "outcomes",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "revoked_by",
                table: "outcomes",
                type: "character varying(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "unit_code",
                table: "outcomes",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "unit_version",
                table: "outcomes",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "version",
                table: "outcomes",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "workstation_code",
                table: "outcomes",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "accreditation_units",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    kind = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    level = table.Column<int>(type: "integer", nullable: false),
                    framework_level = table.Column<int>(type: "integer", nullable: false),
                    credits = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: false),
                    min_credits = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: false),
                    max_credits = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: false),
                    criteria = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    changed_by = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_accreditation_units", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "batch_lines",
                columns: table => new
                {
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    line_number = table.Column<long>(type: "bigint", nullable: false),
                    result = table.Column<int>(type: "integer", nullable: false),
                    outcome_id = table.Column<Guid>(type: "uuid", nullable: true),
                    outcome_status = table.Column<int>(type: "integer", nullable: true),
                    credits = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: false),
                    violations = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_batch_lines", x => new { x.batch_id, x.line_number });
                });

            migrationBuilder.CreateTable(
                name: "batches",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    institution_code = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    request_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    state = table.Column<int>(type: "integer", nullable: false),
                    total_lines = table.Column<long>(type: "bigint", nullable: false),
                    lines_done = table.Column<long>(type: "bigint", nullable: false),
                    last_line = table.Column<long>(type: "bigint", nullable: false),
                    accepted = table.Column<long>(type: "bigint", nullable: false),
                    duplicates = table.Column<long>(type: "bigint", nullable: false),
                    invalid = table.Column<long>(type: "bigint", nullable: false),
                    recognised = table.Column<long>(type: "bigint", nullable: false),
                    pending_review = table.Column<long>(type: "bigint", nullable: false),
                    rejected = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_batches", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "framework_levels",
                columns: table => new
                {
                    level = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    descriptor = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_framework_levels", x => x.level);
                });

            migrationBuilder.CreateTable(
                name: "grading_schemes",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    min = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: false),
                    max = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: false),
                    pass_mark = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: false),
                    grade_values = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grading_schemes", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "review_tasks",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    outcome_id = table.Column<Guid>(type: "uuid", nullable: false),
                    workstation_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    queued_reason_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    suggested_unit_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    suggested_credits = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: false),
                    claimed_by = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    claimed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decision = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    decision_reason_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    comment = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    decided_by = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_review_tasks", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "workstations",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    district_codes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    is_default = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workstations", x => x.code);
                });

            // Outcomes stored before duplicate detection existed keep being distinct: each gets its own id as key, and the
            // workstation every learner falls back to until someone re-files them.
            migrationBuilder.Sql("UPDATE outcomes SET duplicate_key = 'legacy:' || CAST(id AS TEXT) WHERE duplicate_key = '';");
            migrationBuilder.Sql("UPDATE outcomes SET workstation_code = 'WS-SHAPINGBA' WHERE workstation_code = '';");

            migrationBuilder.CreateIndex(
                name: "IX_outcomes_duplicate_key",
                table: "outcomes",
                column: "duplicate_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_batches_institution_code_request_id",
                table: "batches",
                columns: new[] { "institution_code", "request_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_review_tasks_outcome_id",
                table: "review_tasks",
                column: "outcome_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_review_tasks_workstation_code_decided_at_sequence",
                table: "review_tasks",
                columns: new[] { "workstation_code", "decided_at", "sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "accreditation_units");

            migrationBuilder.DropTable(
                name: "batch_lines");

            migrationBuilder.DropTable(
                name: "batches");

            migrationBuilder.DropTable(
                name: "framework_levels");

            migrationBuilder.DropTable(
                name: "grading_schemes");

            migrationBuilder.DropTable(
                name: "review_tasks");

            migrationBuilder.DropTable(
                name: "workstations");

            migrationBuilder.DropIndex(
                name: "IX_outcomes_duplicate_key",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "attachment_sha256",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "batch_id",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "detail_hours",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "detail_level",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "detail_provider",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "detail_rank",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "detail_type",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "duplicate_key",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "grade_scheme_code",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "revoked_at",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "revoked_by",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "unit_code",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "unit_version",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "version",
                table: "outcomes");

            migrationBuilder.DropColumn(
                name: "workstation_code",
                table: "outcomes");
        }
    }
}
