using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Recognition.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OutcomeChangesAndWorkstationAdministration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "reviewer_subjects",
                table: "workstations",
                type: "TEXT",
                maxLength: 4000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "outcome_changes",
                columns: table => new
                {
                    position = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    writer_xid = table.Column<long>(type: "INTEGER", nullable: false),
                    outcome_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    change = table.Column<int>(type: "INTEGER", nullable: false),
                    occurred_at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    institution_code = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    learner_document_type = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    learner_document_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    credits = table.Column<double>(type: "REAL", precision: 9, scale: 2, nullable: false),
                    unit_code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    standard_code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    level = table.Column<int>(type: "INTEGER", nullable: false),
                    course_code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    grade_scheme = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    grade_value = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    hours = table.Column<int>(type: "INTEGER", nullable: false),
                    achieved_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    reason_code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    batch_id = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outcome_changes", x => x.position);
                });

            migrationBuilder.CreateIndex(
                name: "ix_outcome_changes_writer_xid_position",
                table: "outcome_changes",
                columns: new[] { "writer_xid", "position" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outcome_changes");

            migrationBuilder.DropColumn(
                name: "reviewer_subjects",
                table: "workstations");
        }
    }
}
