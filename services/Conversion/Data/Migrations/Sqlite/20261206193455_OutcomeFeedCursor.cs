using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditBank.Conversion.Data.Migrations.Sqlite
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
                    feed = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    page_token = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    changes_read = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
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
