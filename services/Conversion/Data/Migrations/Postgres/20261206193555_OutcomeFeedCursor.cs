using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Conversion.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OutcomeFeedCursor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "outcome_feed_cursors",
                columns: table => new
                {
                    feed = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    page_token = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    changes_read = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outcome_feed_cursors", x => x.feed);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outcome_feed_cursors");
        }
    }
}
