using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jobs.Storage.SqlServer.Migrations
{
    /// <inheritdoc />
    internal sealed partial class ReadablePayloads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "job_data_migrations",
                columns: table => new
                {
                    name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    done_through_id = table.Column<long>(type: "bigint", nullable: false),
                    last_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_data_migrations", x => x.name);
                });

            // Payloads used to be stored with every non-ASCII character, quote and apostrophe as a \uXXXX escape, which text
            // search cannot see through. Start-up rewrites the rows that exist now (PayloadRewriter); later rows are written
            // readable. The name is fixed: PayloadRewriter looks the row up by it.
            migrationBuilder.Sql(
                "INSERT INTO job_data_migrations (name, done_through_id, last_id) SELECT 'readable-payloads', 0, COALESCE(MAX(id), 0) FROM jobs");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "job_data_migrations");
        }
    }
}
