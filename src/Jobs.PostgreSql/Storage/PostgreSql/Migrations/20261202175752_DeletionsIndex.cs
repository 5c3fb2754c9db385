using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jobs.Storage.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class DeletionsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_job_events_deletions",
                table: "job_events",
                column: "id",
                filter: "kind = 7");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_job_events_deletions",
                table: "job_events");
        }
    }
}
