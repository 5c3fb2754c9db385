using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jobs.Storage.PostgreSql.Migrations
{
    /// <inheritdoc />
    internal sealed partial class DashboardIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_jobs_type",
                table: "jobs");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_queue",
                table: "jobs",
                columns: new[] { "queue", "status", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_jobs_recurring",
                table: "jobs",
                column: "id",
                filter: "interval_ms IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_status",
                table: "jobs",
                columns: new[] { "status", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_jobs_type",
                table: "jobs",
                columns: new[] { "type", "status", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_jobs_queue",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_jobs_recurring",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_jobs_status",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_jobs_type",
                table: "jobs");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_type",
                table: "jobs",
                columns: new[] { "type", "status" });
        }
    }
}
