using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Conversion.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ProgrammeVersionsAndGradingSchemes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // What was stored before versions is version 1: the programmes (their programme_versions rows are written by
            // ProgrammeSeed at start) and the applications evaluated under them.
            migrationBuilder.AddColumn<int>(
                name: "version",
                table: "programmes",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "programme_version",
                table: "applications",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.CreateTable(
                name: "grading_schemes",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    definition = table.Column<string>(type: "text", nullable: false),
                    defined_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_grading_schemes", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "programme_versions",
                columns: table => new
                {
                    programme_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    definition = table.Column<string>(type: "text", nullable: false),
                    created_by = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_programme_versions", x => new { x.programme_code, x.version });
                });

            migrationBuilder.CreateIndex(
                name: "ix_programmes_institution_code_code",
                table: "programmes",
                columns: new[] { "institution_code", "code" });

            migrationBuilder.CreateIndex(
                name: "ix_applications_institution_code_status_applied_at",
                table: "applications",
                columns: new[] { "institution_code", "status", "applied_at" });

            migrationBuilder.CreateIndex(
                name: "ix_applications_learner_document_hash_applied_at",
                table: "applications",
                columns: new[] { "learner_document_hash", "applied_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "grading_schemes");

            migrationBuilder.DropTable(
                name: "programme_versions");

            migrationBuilder.DropIndex(
                name: "ix_programmes_institution_code_code",
                table: "programmes");

            migrationBuilder.DropIndex(
                name: "ix_applications_institution_code_status_applied_at",
                table: "applications");

            migrationBuilder.DropIndex(
                name: "ix_applications_learner_document_hash_applied_at",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "version",
                table: "programmes");

            migrationBuilder.DropColumn(
                name: "programme_version",
                table: "applications");
        }
    }
}
