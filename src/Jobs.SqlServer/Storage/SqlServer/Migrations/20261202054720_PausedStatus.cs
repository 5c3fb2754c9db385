using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jobs.Storage.SqlServer.Migrations
{
    /// <inheritdoc />
    internal sealed partial class PausedStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "pause_requested",
                table: "jobs",
                type: "bit",
                nullable: false,
                defaultValue: false);

            // Pausing used to store a recurring job as cancelled, and every cancelled recurring job was shown and resumed as
            // paused: each of them is paused from now on; the database moves the version.
            migrationBuilder.Sql("UPDATE jobs SET status = 5 WHERE status = 4 AND interval_ms IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The schema before this one knows no paused status: paused jobs go back to what stood for it.
            migrationBuilder.Sql("UPDATE jobs SET status = 4 WHERE status = 5");

            migrationBuilder.DropColumn(
                name: "pause_requested",
                table: "jobs");
        }
    }
}
