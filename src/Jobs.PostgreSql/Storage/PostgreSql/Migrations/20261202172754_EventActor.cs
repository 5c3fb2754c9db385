using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jobs.Storage.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class EventActor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "actor",
                table: "job_events",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_job_events_audit",
                table: "job_events",
                column: "id",
                filter: "actor IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_job_events_audit",
                table: "job_events");

            migrationBuilder.DropColumn(
                name: "actor",
                table: "job_events");
        }
    }
}
