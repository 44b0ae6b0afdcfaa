using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CreditBank.Recognition.Data.Migrations.Postgres
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
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "outcome_changes",
                columns: table => new
                {
                    position = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    writer_xid = table.Column<long>(type: "bigint", nullable: false),
                    outcome_id = table.Column<Guid>(type: "uuid", nullable: false),
                    change = table.Column<int>(type: "integer", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    institution_code = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    learner_document_type = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    learner_document_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    credits = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: false),
                    unit_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    standard_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    level = table.Column<int>(type: "integer", nullable: false),
                    course_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    grade_scheme = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    grade_value = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    hours = table.Column<int>(type: "integer", nullable: false),
                    achieved_on = table.Column<DateOnly>(type: "date", nullable: false),
                    reason_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: true)
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

            // The feed's "visible horizon" (Data/OutcomeChangeFeed.cs): each entry carries the id of the transaction that
            // wrote it, whatever the writer (EF, unnest INSERT or COPY) put in the column.
            migrationBuilder.Sql("""
                CREATE FUNCTION outcome_changes_writer_xid() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.writer_xid := pg_current_xact_id()::text::bigint;
                    RETURN NEW;
                END
                $$;
                CREATE TRIGGER outcome_changes_writer_xid BEFORE INSERT ON outcome_changes
                    FOR EACH ROW EXECUTE FUNCTION outcome_changes_writer_xid();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outcome_changes");

            migrationBuilder.Sql("DROP FUNCTION outcome_changes_writer_xid();");

            migrationBuilder.DropColumn(
                name: "reviewer_subjects",
                table: "workstations");
        }
    }
}
